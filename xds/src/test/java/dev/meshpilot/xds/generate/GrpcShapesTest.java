package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.xds.resource.ProxyResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shapes proxyless gRPC clients accept (checked against grpc-java 1.85.1 and grpc-js-xds 1.14.1). */
class GrpcShapesTest {

    private static final String CART = "cart.default.svc.cluster.local";

    private static ProxyResources generate(TestMesh mesh) {
        return new ProxyConfigGenerator().generate(mesh.snapshot(),
                TestMesh.grpc("frontend-0", "default", "10.0.0.1", Map.of("app", "frontend")), mesh.scope("default"));
    }

    private static TestMesh cart() {
        TestMesh mesh = new TestMesh().service("cart", "default", "10.96.0.7", Map.of("app", "cart"),
                TestMesh.port("grpc", 7070, 7070, Protocol.GRPC));
        mesh.pod("cart-0", "default", "10.0.0.7", Map.of("app", "cart"));
        return mesh;
    }

    @Test
    void listener_isAnApiListenerWithRdsOverAdsAndTypedRouter() throws Exception {
        Listener listener = (Listener) generate(cart()).listeners().get(CART + ":7070").orElseThrow().proto();
        assertThat(listener.hasAddress()).isFalse();
        HttpConnectionManager hcm = listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
        assertThat(hcm.getRds().getRouteConfigName()).isEqualTo(CART + ":7070");
        assertThat(hcm.getRds().getConfigSource().hasAds()).isTrue();
        assertThat(hcm.getHttpFiltersList()).singleElement().satisfies(f -> {
            assertThat(f.getName()).isEqualTo("envoy.filters.http.router");
            assertThat(f.getTypedConfig().is(Router.class)).isTrue();
        });
    }

    @Test
    void routeConfiguration_hasOneVirtualHostWithDomainHostPort() {
        RouteConfiguration routes = (RouteConfiguration) generate(cart()).routes().get(CART + ":7070").orElseThrow().proto();
        assertThat(routes.getVirtualHostsList()).singleElement().satisfies(v -> {
            assertThat(v.getDomainsList()).containsExactly(CART + ":7070");
            assertThat(v.getRoutes(0).getRoute().getCluster()).isEqualTo("outbound|7070||" + CART);
        });
    }

    @Test
    void cluster_isEdsOverAdsRoundRobin() {
        Cluster cluster = (Cluster) generate(cart()).clusters().get("outbound|7070||" + CART).orElseThrow().proto();
        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
        assertThat(cluster.getEdsClusterConfig().getEdsConfig().hasAds()).isTrue();
        assertThat(cluster.getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
    }

    @Test
    void everyLocality_hasALoadBalancingWeight() {
        ClusterLoadAssignment cla = (ClusterLoadAssignment) generate(cart()).endpoints().get("outbound|7070||" + CART)
                .orElseThrow().proto();
        assertThat(cla.getEndpointsList()).isNotEmpty()
                .allSatisfy(l -> assertThat(l.getLoadBalancingWeight().getValue()).isPositive());
    }

    @Test
    void dnsAndWildcardServiceEntries_areLeftToTheClientsOwnResolver() {
        TestMesh mesh = cart().serviceEntry("ext", "default", "api.example.com", MeshService.Resolution.DNS, List.of(),
                TestMesh.port("https", 443, 443, Protocol.TLS));
        ProxyResources r = generate(mesh);
        assertThat(r.clusters().names()).containsExactly("outbound|7070||" + CART);
        assertThat(r.listeners().names()).containsExactly(CART + ":7070");
    }

    @Test
    void noInboundResources_forAProxylessClient() {
        TestMesh mesh = cart();
        ProxyResources r = new ProxyConfigGenerator().generate(mesh.snapshot(),
                TestMesh.grpc("cart-0", "default", "10.0.0.7", Map.of("app", "cart")), mesh.scope("default"));
        assertThat(r.clusters().names()).noneMatch(n -> n.startsWith("inbound"));
        assertThat(r.listeners().names()).doesNotContain("virtualInbound", "virtualOutbound");
    }
}
