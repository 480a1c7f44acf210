package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.xds.naming.XdsNames;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SidecarClustersTest {

    private final ProxyConfigGenerator generator = new ProxyConfigGenerator();

    private ProxyResources generate(TestMesh mesh, String pod, String ip, Map<String, String> labels) {
        MeshSnapshot snapshot = mesh.snapshot();
        return generator.generate(snapshot, TestMesh.sidecar(pod, "default", ip, labels), mesh.scope("default"));
    }

    private static Cluster cluster(ProxyResources resources, String name) {
        return (Cluster) resources.clusters().get(name).orElseThrow(() -> new AssertionError("no cluster " + name)).proto();
    }

    @Test
    void everyScopeServicePort_getsAnOutboundEdsCluster() {
        ProxyResources r = generate(TestMesh.bookinfo(), "productpage-v1-0", "10.0.0.10", Map.of("app", "productpage"));
        Cluster reviews = cluster(r, "outbound|9080||reviews.default.svc.cluster.local");
        assertThat(reviews.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
        assertThat(reviews.getEdsClusterConfig().getServiceName()).isEqualTo(reviews.getName());
        assertThat(reviews.getEdsClusterConfig().getEdsConfig().hasAds()).isTrue();
    }

    @Test
    void destinationRuleSubsets_getOwnClustersWithRuleInMetadata() {
        ProxyResources r = generate(TestMesh.bookinfo(), "productpage-v1-0", "10.0.0.10", Map.of("app", "productpage"));
        assertThat(r.clusters().names()).contains("outbound|9080|v1|reviews.default.svc.cluster.local",
                "outbound|9080|v2|reviews.default.svc.cluster.local");
        Cluster v1 = cluster(r, "outbound|9080|v1|reviews.default.svc.cluster.local");
        assertThat(v1.getMetadata().getFilterMetadataOrThrow("istio").getFieldsOrThrow("config").getStringValue())
                .isEqualTo("/apis/networking.istio.io/v1/namespaces/default/destination-rule/reviews");
        Cluster ratings = cluster(r, "outbound|9080||ratings.default.svc.cluster.local");
        assertThat(ratings.getMetadata().getFilterMetadataOrThrow("istio").containsFields("config")).isFalse();
    }

    @Test
    void fixedClusters_areAlwaysPresentWithIstioTypes() {
        ProxyResources r = generate(new TestMesh(), "lonely", "10.0.0.1", Map.of());
        assertThat(r.clusters().names()).containsExactly(XdsNames.BLACK_HOLE_CLUSTER,
                XdsNames.INBOUND_PASSTHROUGH_CLUSTER, XdsNames.PASSTHROUGH_CLUSTER);
        assertThat(cluster(r, XdsNames.BLACK_HOLE_CLUSTER).getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
        Cluster passthrough = cluster(r, XdsNames.PASSTHROUGH_CLUSTER);
        assertThat(passthrough.getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
        assertThat(passthrough.getLbPolicy()).isEqualTo(Cluster.LbPolicy.CLUSTER_PROVIDED);
        Cluster inbound = cluster(r, XdsNames.INBOUND_PASSTHROUGH_CLUSTER);
        assertThat(inbound.getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
        assertThat(inbound.getUpstreamBindConfig().getSourceAddress().getAddress()).isEqualTo("127.0.0.6");
    }

    @Test
    void inboundCluster_isNamedAfterTargetPortAndForwardsToOriginalDestination() {
        TestMesh mesh = new TestMesh().service("web", "default", "10.96.0.1", Map.of("app", "web"),
                TestMesh.port("http", 80, 8080, Protocol.HTTP));
        mesh.pod("web-0", "default", "10.0.0.5", Map.of("app", "web"));
        ProxyResources r = generate(mesh, "web-0", "10.0.0.5", Map.of("app", "web"));
        Cluster inbound = cluster(r, "inbound|8080||");
        assertThat(inbound.getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
        assertThat(inbound.getUpstreamBindConfig().getSourceAddress().getAddress()).isEqualTo("127.0.0.6");
        assertThat(r.clusters().names()).doesNotContain("inbound|80||");
    }

    @Test
    void udpPorts_getNoCluster() {
        TestMesh mesh = new TestMesh().service("dns", "default", "10.96.0.53", Map.of("app", "dns"),
                TestMesh.port("dns", 53, 53, Protocol.UDP), TestMesh.port("dns-tcp", 53, 53, Protocol.TCP));
        ProxyResources r = generate(mesh, "client", "10.0.0.1", Map.of());
        assertThat(r.clusters().names()).contains("outbound|53||dns.default.svc.cluster.local");
    }

    @Test
    void grpcPort_getsExplicitHttp2Upstream() {
        TestMesh mesh = new TestMesh().service("cart", "default", "10.96.0.7", Map.of("app", "cart"),
                TestMesh.port("grpc", 7070, 7070, Protocol.GRPC));
        ProxyResources r = generate(mesh, "client", "10.0.0.1", Map.of());
        assertThat(cluster(r, "outbound|7070||cart.default.svc.cluster.local").getTypedExtensionProtocolOptionsMap())
                .containsKey("envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
    }

    @Test
    void dnsServiceEntry_getsStrictDnsClusterWithInlineEndpoints() {
        TestMesh mesh = new TestMesh().serviceEntry("ext", "default", "api.example.com", MeshService.Resolution.DNS,
                List.of(), TestMesh.port("https", 443, 443, Protocol.TLS));
        ProxyResources r = generate(mesh, "client", "10.0.0.1", Map.of());
        Cluster ext = cluster(r, "outbound|443||api.example.com");
        assertThat(ext.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(ext.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
                .getSocketAddress().getAddress()).isEqualTo("api.example.com");
        assertThat(r.endpoints().names()).doesNotContain(ext.getName());
    }

    @Test
    void dnsWildcardServiceEntryWithoutEndpoints_isOmitted() {
        TestMesh mesh = new TestMesh().serviceEntry("wiki", "default", "*.wikipedia.org", MeshService.Resolution.DNS,
                List.of(), TestMesh.port("https", 443, 443, Protocol.TLS));
        ProxyResources r = generate(mesh, "client", "10.0.0.1", Map.of());
        assertThat(r.clusters().names()).noneMatch(n -> n.contains("wikipedia"));
    }

    @Test
    void passthroughServiceEntry_getsOriginalDstCluster() {
        TestMesh mesh = new TestMesh().serviceEntry("any", "default", "*.internal", MeshService.Resolution.PASSTHROUGH,
                List.of(), TestMesh.port("tcp", 5432, 5432, Protocol.TCP));
        ProxyResources r = generate(mesh, "client", "10.0.0.1", Map.of());
        Cluster any = cluster(r, "outbound|5432||*.internal");
        assertThat(any.getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
        assertThat(any.getLbPolicy()).isEqualTo(Cluster.LbPolicy.CLUSTER_PROVIDED);
    }

    @Test
    void subsetEndpoints_keepOnlyPodsWithSubsetLabels() {
        ProxyResources r = generate(TestMesh.bookinfo(), "productpage-v1-0", "10.0.0.10", Map.of("app", "productpage"));
        ClusterLoadAssignment v2 = (ClusterLoadAssignment) r.endpoints()
                .get("outbound|9080|v2|reviews.default.svc.cluster.local").orElseThrow().proto();
        assertThat(v2.getEndpointsList()).hasSize(1);
        assertThat(v2.getEndpoints(0).getLbEndpointsList()).singleElement()
                .satisfies(e -> assertThat(e.getEndpoint().getAddress().getSocketAddress().getAddress())
                        .isEqualTo("10.0.0.22"));
        ClusterLoadAssignment all = (ClusterLoadAssignment) r.endpoints()
                .get("outbound|9080||reviews.default.svc.cluster.local").orElseThrow().proto();
        assertThat(all.getEndpoints(0).getLbEndpointsCount()).isEqualTo(2);
    }

    @Test
    void everyResource_hasAHashAndSize() {
        ProxyResources r = generate(TestMesh.bookinfo(), "productpage-v1-0", "10.0.0.10", Map.of("app", "productpage"));
        for (XdsResource resource : r.clusters().resources()) {
            assertThat(resource.hash()).hasSize(16);
            assertThat(resource.serializedSize()).isEqualTo(resource.proto().getSerializedSize());
        }
    }
}
