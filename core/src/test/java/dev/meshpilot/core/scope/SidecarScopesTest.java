package dev.meshpilot.core.scope;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.meshpilot.core.scope.TestMesh.hosts;
import static dev.meshpilot.core.scope.TestMesh.k8s;
import static dev.meshpilot.core.scope.TestMesh.mesh;
import static dev.meshpilot.core.scope.TestMesh.proxy;
import static dev.meshpilot.core.scope.TestMesh.selecting;
import static dev.meshpilot.core.scope.TestMesh.sidecar;
import static dev.meshpilot.core.scope.TestMesh.t;
import static org.assertj.core.api.Assertions.assertThat;

/** Sharing and thread-safety of {@link SidecarScopes}. */
class SidecarScopesTest {

    private static TestMesh mesh3() {
        return mesh().add(k8s("a", "ns1", 80), k8s("b", "ns2", 80),
                sidecar("istio-system", "default", t(0), hosts("./*")),
                selecting("ns1", "special", t(0), Map.of("app", "special"), hosts("ns2/*")));
    }

    @Test
    void proxiesWithTheSameKey_shareOneScopeInstance() {
        SidecarScopes scopes = mesh3().scopes();
        ProxyScope first = scopes.scopeFor(proxy("ns1", "app", "x"));
        ProxyScope second = scopes.scopeFor(new ProxyIdentity("other-pod", "ns1", Map.of("app", "y"), "",
                ProxyIdentity.ProxyKind.SIDECAR));
        assertThat(second).isSameAs(first);
        assertThat(scopes.computedScopeCount()).isEqualTo(1);
    }

    @Test
    void rootDefaultScope_isComputedPerProxyNamespace() {
        SidecarScopes scopes = mesh3().scopes();
        ProxyScope ns1 = scopes.scopeFor(proxy("ns1"));
        ProxyScope ns2 = scopes.scopeFor(proxy("ns2"));
        assertThat(ns1).isNotSameAs(ns2);
        assertThat(TestMesh.render(ns1)).containsExactly("a.ns1:80");
        assertThat(TestMesh.render(ns2)).containsExactly("b.ns2:80");
        assertThat(ns1.name()).isEqualTo("default");
    }

    @Test
    void selectingSidecar_givesItsOwnKey() {
        SidecarScopes scopes = mesh3().scopes();
        assertThat(scopes.keyFor(proxy("ns1", "app", "special")))
                .isNotEqualTo(scopes.keyFor(proxy("ns1", "app", "plain")));
    }

    @Test
    void concurrentCallers_getTheSameScopes() throws Exception {
        SidecarScopes scopes = mesh3().scopes();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ProxyScope>> futures = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String ns = i % 2 == 0 ? "ns1" : "ns2";
                String app = i % 3 == 0 ? "special" : "other";
                futures.add(pool.submit(() -> scopes.scopeFor(proxy(ns, "app", app))));
            }
            for (Future<ProxyScope> f : futures) {
                ProxyScope s = f.get();
                assertThat(s).isSameAs(scopes.scopeFor(proxy(s.proxyNamespace(),
                        "app", s.name().equals("special") ? "special" : "other")));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(scopes.computedScopeCount()).isEqualTo(3);
    }

    @Test
    void scopeIsImmutable() {
        ProxyScope scope = mesh3().scopes().scopeFor(proxy("ns1"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> scope.services().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> scope.dependencies().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
