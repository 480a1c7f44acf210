package dev.meshpilot.xds.generate;

import com.github.udpa.udpa.type.v1.TypedStruct;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.resource.ProxyResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import org.junit.jupiter.api.Test;

import static dev.meshpilot.xds.generate.IstioShapes.cluster;
import static dev.meshpilot.xds.generate.IstioShapes.hcm;
import static dev.meshpilot.xds.generate.IstioShapes.httpFilterNames;
import static dev.meshpilot.xds.generate.IstioShapes.listener;
import static dev.meshpilot.xds.generate.IstioShapes.names;
import static dev.meshpilot.xds.generate.IstioShapes.unpack;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 2: Istio's telemetry filters, in istiod 1.29's order. Mirrors Istio's
 * {@code listener_test.go TestOutboundFilters} (HTTP and TCP filter stacks), {@code listener_builder_test.go
 * TestVirtualInboundHasPassthroughClusters} (inbound stacks) and {@code cluster_builder_test.go} (cluster MX filter).
 */
class TelemetryFiltersTest {

    private static final String PEER_METADATA = "type.googleapis.com/io.istio.http.peer_metadata.Config";

    @Test
    void istioProxyOutboundHttpFilters_areInIstiosOrder() {
        HttpConnectionManager manager = hcm(listener(IstioShapes.productpage(ProxyKind.SIDECAR), "0.0.0.0_9080")
                .getFilterChains(0));
        assertThat(httpFilterNames(manager)).containsExactly("istio.metadata_exchange",
                "envoy.filters.http.grpc_stats", "istio.alpn", "envoy.filters.http.fault", "envoy.filters.http.cors",
                "istio.stats", "envoy.filters.http.router");
        TypedStruct mx = unpack(manager.getHttpFilters(0).getTypedConfig(), TypedStruct.class);
        assertThat(mx.getTypeUrl()).isEqualTo(PEER_METADATA);
        assertThat(mx.getValue().getFieldsMap()).containsOnlyKeys("upstream_discovery", "upstream_propagation");
        TypedStruct alpn = unpack(manager.getHttpFilters(2).getTypedConfig(), TypedStruct.class);
        assertThat(alpn.getTypeUrl()).isEqualTo(
                "type.googleapis.com/istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig");
        assertThat(alpn.getValue().getFieldsOrThrow("alpn_override").getListValue().getValuesCount()).isEqualTo(3);
        TypedStruct stats = unpack(manager.getHttpFilters(5).getTypedConfig(), TypedStruct.class);
        assertThat(stats.getTypeUrl()).isEqualTo("type.googleapis.com/stats.PluginConfig");
        assertThat(stats.getValue().getFieldsMap()).isEmpty();
    }

    @Test
    void istioProxyInboundHttpChain_exchangesMetadataFirst_andStatsWithoutHostFallback() {
        Listener inbound = listener(IstioShapes.reviews(ProxyKind.SIDECAR), "virtualInbound");
        FilterChain plaintext = inbound.getFilterChainsList().stream()
                .filter(c -> c.getName().equals("0.0.0.0_9080")
                        && c.getFilterChainMatch().getTransportProtocol().equals("raw_buffer"))
                .findFirst().orElseThrow();
        assertThat(names(plaintext.getFiltersList())).containsExactly("istio.metadata_exchange",
                "envoy.filters.network.http_connection_manager");
        HttpConnectionManager manager = hcm(plaintext);
        assertThat(httpFilterNames(manager)).containsExactly("istio.metadata_exchange",
                "envoy.filters.http.grpc_stats", "envoy.filters.http.fault", "envoy.filters.http.cors", "istio.stats",
                "envoy.filters.http.router");
        TypedStruct mx = unpack(manager.getHttpFilters(0).getTypedConfig(), TypedStruct.class);
        assertThat(mx.getValue().getFieldsMap()).containsOnlyKeys("downstream_discovery", "downstream_propagation");
        TypedStruct stats = unpack(manager.getHttpFilters(4).getTypedConfig(), TypedStruct.class);
        assertThat(stats.getValue().getFieldsOrThrow("disable_host_header_fallback").getBoolValue()).isTrue();
    }

    @Test
    void istioProxyTcpChains_carryStats_inboundAlsoMetadataExchange() {
        ProxyResources r = IstioShapes.productpage(ProxyKind.SIDECAR);
        assertThat(names(listener(r, IstioShapes.MONGO_VIP + "_27017").getFilterChains(0).getFiltersList()))
                .containsExactly("istio.stats", "envoy.filters.network.tcp_proxy");
        assertThat(names(listener(r, "virtualOutbound").getFilterChains(0).getFiltersList()))
                .containsExactly("istio.stats", "envoy.filters.network.tcp_proxy");
        Listener inbound = listener(r, "virtualInbound");
        FilterChain passthroughTcp = inbound.getFilterChainsList().stream()
                .filter(c -> c.getName().equals("virtualInbound")).findFirst().orElseThrow();
        assertThat(names(passthroughTcp.getFiltersList())).containsExactly("istio.metadata_exchange", "istio.stats",
                "envoy.filters.network.tcp_proxy");
        TypedStruct mx = unpack(passthroughTcp.getFilters(0).getTypedConfig(), TypedStruct.class);
        assertThat(mx.getTypeUrl()).isEqualTo(
                "type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange");
        assertThat(mx.getValue().getFieldsOrThrow("protocol").getStringValue()).isEqualTo("istio-peer-exchange");
    }

    @Test
    void istioProxyOutboundClustersAndPassthrough_exchangeMetadataUpstream() {
        ProxyResources r = IstioShapes.productpage(ProxyKind.SIDECAR);
        assertThat(names(cluster(r, "outbound|9080|v1|reviews.default.svc.cluster.local").getFiltersList()))
                .containsExactly("istio.metadata_exchange");
        assertThat(names(cluster(r, "PassthroughCluster").getFiltersList())).containsExactly("istio.metadata_exchange");
        assertThat(cluster(r, "InboundPassthroughCluster").getFiltersList()).isEmpty();
        assertThat(cluster(r, "BlackHoleCluster").getFiltersList()).isEmpty();
    }

    @Test
    void istioProxyEndpoints_carryIstioWorkloadMetadata() {
        ClusterLoadAssignment cla = (ClusterLoadAssignment) IstioShapes.productpage(ProxyKind.SIDECAR).endpoints()
                .get("outbound|9080|v1|reviews.default.svc.cluster.local").orElseThrow().proto();
        assertThat(cla.getEndpoints(0).getLbEndpoints(0).getMetadata().getFilterMetadataOrThrow("istio")
                .getFieldsOrThrow("workload").getStringValue()).isEqualTo("reviews-v1-0;default;reviews;v1;Kubernetes");
    }

    @Test
    void plainEnvoy_getsTheUpstreamFiltersOnly() {
        ProxyResources r = IstioShapes.productpage(ProxyKind.ENVOY);
        assertThat(httpFilterNames(hcm(listener(r, "0.0.0.0_9080").getFilterChains(0)))).containsExactly(
                "envoy.filters.http.grpc_stats", "envoy.filters.http.fault", "envoy.filters.http.cors",
                "envoy.filters.http.router");
        assertThat(names(listener(r, IstioShapes.MONGO_VIP + "_27017").getFilterChains(0).getFiltersList()))
                .containsExactly("envoy.filters.network.tcp_proxy");
        Cluster reviews = cluster(r, "outbound|9080|v1|reviews.default.svc.cluster.local");
        assertThat(reviews.getFiltersList()).isEmpty();
        ClusterLoadAssignment cla = (ClusterLoadAssignment) r.endpoints()
                .get("outbound|9080|v1|reviews.default.svc.cluster.local").orElseThrow().proto();
        assertThat(cla.getEndpoints(0).getLbEndpoints(0).hasMetadata()).isFalse();
    }

    @Test
    void proxylessGrpc_getsNoEnvoyFilters() {
        ProxyResources r = IstioShapes.productpage(ProxyKind.PROXYLESS_GRPC);
        HttpConnectionManager manager = IstioShapes.unpack(listener(r, "reviews.default.svc.cluster.local:9080")
                .getApiListener().getApiListener(), HttpConnectionManager.class);
        assertThat(httpFilterNames(manager)).containsExactly("envoy.filters.http.router");
    }
}
