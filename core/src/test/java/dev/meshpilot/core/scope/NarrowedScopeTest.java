package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.MeshService;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.meshpilot.core.scope.TestMesh.k8s;
import static dev.meshpilot.core.scope.TestMesh.mesh;
import static dev.meshpilot.core.scope.TestMesh.proxy;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link SidecarScopes#narrowedScopeFor}: a learned scope inside its upper bound, shared by content. */
class NarrowedScopeTest {

    private static SidecarScopes scopes() {
        return mesh().add(k8s("a", "ns1", 80), k8s("b", "ns2", 80), k8s("c", "ns2", 80)).scopes();
    }

    @Test
    void narrowedScope_holdsTheLearnedHostsAndTheRestOfTheUpperBoundAsFallback() {
        ProxyScope scope = scopes().narrowedScopeFor(proxy("ns1"), List.of("ns2/b.ns2.svc.cluster.local"));
        assertThat(TestMesh.render(scope)).containsExactly("b.ns2:80");
        assertThat(scope.fallbackServices()).extracting(MeshService::hostname)
                .containsExactlyInAnyOrder("a.ns1.svc.cluster.local", "c.ns2.svc.cluster.local");
        assertThat(scope.key().learned()).isTrue();
    }

    @Test
    void hostOutsideTheUpperBound_isNotServed() {
        ProxyScope scope = scopes().narrowedScopeFor(proxy("ns1"), List.of("ns9/zz.ns9.svc.cluster.local"));
        assertThat(scope.services()).isEmpty();
        assertThat(scope.fallbackServices()).hasSize(3);
    }

    @Test
    void equalLearnedHosts_shareOneScopeInstance() {
        SidecarScopes scopes = scopes();
        ProxyScope first = scopes.narrowedScopeFor(proxy("ns1", "app", "x"),
                List.of("ns2/c.ns2.svc.cluster.local", "ns2/b.ns2.svc.cluster.local"));
        ProxyScope second = scopes.narrowedScopeFor(proxy("ns1", "app", "y"),
                List.of("ns2/b.ns2.svc.cluster.local", "ns2/c.ns2.svc.cluster.local"));
        assertThat(second).isSameAs(first);
        assertThat(scopes.narrowedScopeFor(proxy("ns1"), List.of("ns2/b.ns2.svc.cluster.local")))
                .isNotSameAs(first);
    }

    @Test
    void narrowedScope_dependsOnWhatTheUpperBoundDependsOn() {
        SidecarScopes scopes = scopes();
        ProxyScope narrowed = scopes.narrowedScopeFor(proxy("ns1"), List.of());
        assertThat(narrowed.dependencies()).isEqualTo(scopes.scopeFor(proxy("ns1")).dependencies());
    }

    @Test
    void proxySelectedByAHandWrittenSidecar_keepsItsScope() {
        SidecarScopes scopes = mesh().add(k8s("a", "ns1", 80), k8s("b", "ns2", 80),
                TestMesh.selecting("ns1", "mine", TestMesh.t(0), java.util.Map.of("app", "x"),
                        TestMesh.hosts("*/*"))).scopes();
        ProxyIdentity proxy = proxy("ns1", "app", "x");
        assertThat(scopes.narrowedScopeFor(proxy, List.of())).isSameAs(scopes.scopeFor(proxy));
    }
}
