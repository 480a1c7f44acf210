package dev.meshpilot.core.scope;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScopeReachTest {

    private final ScopeReach reach = ScopeReach.of(List.of(TestMesh.k8s("cart", "shop", 80, 8080)));

    @Test
    void declaredPort_isReached_otherPortIsNot() {
        assertThat(reach.reaches("cart.shop.svc.cluster.local", 8080)).isTrue();
        assertThat(reach.reaches("cart.shop.svc.cluster.local", 9090)).isFalse();
    }

    @Test
    void callWithoutPort_isReachedWhenTheHostIs() {
        assertThat(reach.reaches("cart.shop.svc.cluster.local", 0)).isTrue();
        assertThat(reach.reaches("db.shop.svc.cluster.local", 0)).isFalse();
    }

    @Test
    void hostPorts_listsEveryDeclaredPort() {
        assertThat(reach.hostPorts()).containsExactlyInAnyOrder("cart.shop.svc.cluster.local:80",
                "cart.shop.svc.cluster.local:8080");
    }
}
