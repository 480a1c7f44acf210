package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.ConfigKey.Kind;
import org.junit.jupiter.api.Test;

import static dev.meshpilot.core.scope.TestMesh.hosts;
import static dev.meshpilot.core.scope.TestMesh.k8s;
import static dev.meshpilot.core.scope.TestMesh.mesh;
import static dev.meshpilot.core.scope.TestMesh.portListener;
import static dev.meshpilot.core.scope.TestMesh.proxy;
import static dev.meshpilot.core.scope.TestMesh.sidecar;
import static dev.meshpilot.core.scope.TestMesh.t;
import static org.assertj.core.api.Assertions.assertThat;

/** R26 listener lookup and the R47 relevance filter on {@link ProxyScope}. */
class ProxyScopeAccessorsTest {

    private final ProxyScope scope = mesh().add(k8s("a", "ns1", 80, 9080), k8s("b", "ns2", 80),
            sidecar("ns1", "sc", t(0), portListener(9080, "HTTP", "./*"), hosts("ns2/*"))).scopes()
            .scopeFor(proxy("ns1"));

    @Test
    void r26_portWithItsOwnListener_usesThatListener() {
        assertThat(scope.egressListenerFor(9080, "")).get()
                .satisfies(e -> assertThat(TestMesh.render(e.services().get(0))).isEqualTo("a.ns1:9080"));
    }

    @Test
    void r26_otherPorts_useTheCatchAllListener() {
        assertThat(scope.egressListenerFor(80, "")).get()
                .satisfies(e -> assertThat(e.listener().port()).isEmpty());
    }

    @Test
    void r47_trackedKindOutsideTheDependencies_isNotRelevant() {
        assertThat(scope.isRelevant(ConfigKey.of(Kind.SERVICE, "ns3", "c.ns3.svc.cluster.local"))).isFalse();
        assertThat(scope.isRelevant(ConfigKey.of(Kind.ENDPOINTS, "ns2", "b.ns2.svc.cluster.local"))).isTrue();
    }

    @Test
    void r47_untrackedKinds_areConservativelyRelevant() {
        assertThat(scope.isRelevant(ConfigKey.of(Kind.MESH_CONFIG, "", "mesh"))).isTrue();
        assertThat(scope.isRelevant(ConfigKey.of(Kind.NAMESPACE, "", "ns9"))).isTrue();
    }

    @Test
    void serviceLookup_returnsTheMergedScopeEntry() {
        assertThat(scope.service("a.ns1.svc.cluster.local")).isPresent();
        assertThat(scope.service("nope")).isEmpty();
    }
}
