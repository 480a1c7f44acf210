package dev.meshpilot.xds.simulate;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.golden.ExampleMeshes;
import dev.meshpilot.xds.resource.ProxyResources;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** "From pod X, a request to host H:port reaches which cluster?" over the generated config of the examples. */
class ExampleTrafficTest {

    private static TrafficSimulation sidecar(String example, String pod, String namespace) {
        ProxyResources r = ExampleMeshes.generate(example, ExampleMeshes.proxy(example, pod, namespace, ProxyKind.SIDECAR));
        return new TrafficSimulation(r);
    }

    private static TrafficSimulation grpc(String example, String pod, String namespace) {
        ProxyResources r = ExampleMeshes.generate(example,
                ExampleMeshes.proxy(example, pod, namespace, ProxyKind.PROXYLESS_GRPC));
        return new TrafficSimulation(r);
    }

    @Test
    void productpageToReviews_isSplitAcrossSubsetsByTheVirtualService() {
        TrafficSimulation.Outcome out = sidecar("bookinfo", "productpage-v1-0", "default")
                .http("10.9.9.9", 9080, "reviews.default.svc.cluster.local", "/reviews/1");
        assertThat(out.listener()).isEqualTo("0.0.0.0_9080");
        assertThat(out.routeConfig()).isEqualTo("9080");
        assertThat(out.virtualHost()).isEqualTo("reviews.default.svc.cluster.local:9080");
        assertThat(out.clusters()).containsExactly(
                Map.entry("outbound|9080|v1|reviews.default.svc.cluster.local", 50),
                Map.entry("outbound|9080|v2|reviews.default.svc.cluster.local", 30),
                Map.entry("outbound|9080|v3|reviews.default.svc.cluster.local", 20));
    }

    @Test
    void shortNameFromSameNamespace_reachesTheSameVirtualHost() {
        TrafficSimulation sim = sidecar("bookinfo", "productpage-v1-0", "default");
        assertThat(sim.http("10.9.9.9", 9080, "reviews", "/").virtualHost())
                .isEqualTo("reviews.default.svc.cluster.local:9080");
        assertThat(sim.http("10.9.9.9", 9080, "reviews:9080", "/").virtualHost())
                .isEqualTo("reviews.default.svc.cluster.local:9080");
        assertThat(sim.http("10.9.9.9", 9080, "reviews.default.svc", "/").virtualHost())
                .isEqualTo("reviews.default.svc.cluster.local:9080");
    }

    @Test
    void reviewsToRatings_withoutVirtualService_goesToTheDefaultCluster() {
        TrafficSimulation.Outcome out = sidecar("bookinfo", "reviews-v2-0", "default")
                .http("10.9.9.9", 9080, "ratings:9080", "/ratings/0");
        assertThat(out.cluster()).isEqualTo("outbound|9080||ratings.default.svc.cluster.local");
        assertThat(out.route()).isEqualTo("default");
    }

    @Test
    void unknownHostOnKnownPort_isPassedThroughUnderAllowAny() {
        TrafficSimulation.Outcome out = sidecar("bookinfo", "productpage-v1-0", "default")
                .http("93.184.216.34", 9080, "example.com", "/");
        assertThat(out.virtualHost()).isEqualTo("allow_any");
        assertThat(out.cluster()).isEqualTo("PassthroughCluster");
    }

    @Test
    void tcpToUnknownPort_leavesThroughVirtualOutboundToPassthrough() {
        TrafficSimulation.Outcome out = sidecar("bookinfo", "productpage-v1-0", "default").tcp("93.184.216.34", 5432);
        assertThat(out.listener()).isEqualTo("virtualOutbound");
        assertThat(out.cluster()).isEqualTo("PassthroughCluster");
    }

    @Test
    void inboundTrafficToOwnPort_reachesTheInboundCluster() {
        TrafficSimulation.Outcome out = sidecar("bookinfo", "reviews-v2-0", "default").inbound(9080, "/reviews/1");
        assertThat(out.listener()).isEqualTo("virtualInbound");
        assertThat(out.cluster()).isEqualTo("inbound|9080||");
        assertThat(sidecar("bookinfo", "reviews-v2-0", "default").inbound(7777, "/").cluster())
                .isEqualTo("InboundPassthroughCluster");
    }

    @Test
    void frontendToCartGrpc_goesToTheCartserviceCluster() {
        TrafficSimulation.Outcome out = sidecar("online-boutique", "frontend-0", "default")
                .http("10.9.9.9", 7070, "cartservice:7070", "/hipstershop.CartService/GetCart");
        assertThat(out.cluster()).isEqualTo("outbound|7070||cartservice.default.svc.cluster.local");
    }

    @Test
    void cartserviceToRedisClusterIp_isProxiedAsTcpByTheVipListener() {
        String vip = ExampleMeshes.snapshot("online-boutique").servicesNamed("redis-cart.default.svc.cluster.local")
                .get(0).addresses().get(0);
        TrafficSimulation.Outcome out = sidecar("online-boutique", "cartservice-0", "default").tcp(vip, 6379);
        assertThat(out.listener()).isEqualTo(vip + "_6379");
        assertThat(out.virtualHost()).isEmpty();
        assertThat(out.cluster()).isEqualTo("outbound|6379||redis-cart.default.svc.cluster.local");
    }

    @Test
    void tcpToAnotherAddressOnRedisPort_isNotTakenByRedisCart() {
        TrafficSimulation.Outcome out = sidecar("online-boutique", "cartservice-0", "default").tcp("10.9.9.9", 6379);
        assertThat(out.listener()).isEqualTo("virtualOutbound");
        assertThat(out.cluster()).isEqualTo("PassthroughCluster");
    }

    @Test
    void proxylessGrpcCall_followsListenerRouteAndCluster() {
        TrafficSimulation.Outcome out = grpc("online-boutique", "frontend-0", "default")
                .grpc("cartservice.default.svc.cluster.local", 7070, "/hipstershop.CartService/GetCart");
        assertThat(out.listener()).isEqualTo("cartservice.default.svc.cluster.local:7070");
        assertThat(out.routeConfig()).isEqualTo("cartservice.default.svc.cluster.local:7070");
        assertThat(out.cluster()).isEqualTo("outbound|7070||cartservice.default.svc.cluster.local");
    }

    @Test
    void proxylessGrpcToReviews_honoursTheWeightedSplit() {
        TrafficSimulation.Outcome out = grpc("bookinfo", "productpage-v1-0", "default")
                .grpc("reviews.default.svc.cluster.local", 9080, "/any");
        assertThat(out.clusters()).hasSize(3).containsEntry("outbound|9080|v1|reviews.default.svc.cluster.local", 50);
    }

    @Test
    void rootDefaultSidecar_makesOtherNamespacesUnknownDestinations() {
        TrafficSimulation scoped = sidecar("shared-cluster-root-default", "productpage-v1-0", "bookinfo");
        TrafficSimulation.Outcome own = scoped.http("10.9.9.9", 9080, "reviews.bookinfo.svc.cluster.local", "/");
        assertThat(own.clusters().keySet()).allMatch(c -> c.endsWith("reviews.bookinfo.svc.cluster.local"));
        TrafficSimulation.Outcome other = scoped.http("10.9.9.9", 80, "frontend.online-boutique.svc.cluster.local", "/");
        assertThat(other.cluster()).isEqualTo("PassthroughCluster");

        TrafficSimulation unscoped = sidecar("shared-cluster", "productpage-v1-0", "bookinfo");
        assertThat(unscoped.http("10.9.9.9", 80, "frontend.online-boutique.svc.cluster.local", "/").cluster())
                .isEqualTo("outbound|80||frontend.online-boutique.svc.cluster.local");
    }
}
