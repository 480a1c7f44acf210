package dev.meshpilot.xds.generate;

import com.github.udpa.udpa.type.v1.TypedStruct;
import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio's own Envoy extensions, for istio-proxy sidecars only (an upstream Envoy would NACK them): metadata exchange,
 * stats and ALPN override, as istiod 1.29 configures them ({@code pilot/pkg/xds/filters/filters.go},
 * {@code pilot/pkg/model/telemetry.go}). We have no Istio protos, so every config is a {@code udpa.type.v1.TypedStruct}
 * carrying Istio's type URL and the message as a Struct, which Envoy converts into the extension's proto (it is also
 * how Envoy prints these configs in a config dump).
 */
final class IstioFilters {

    /** Name of the metadata exchange filters (network, HTTP, cluster). */
    static final String METADATA_EXCHANGE = "istio.metadata_exchange";
    /** Name of the stats filters (network and HTTP). */
    static final String STATS = "istio.stats";
    /** Name of the ALPN override HTTP filter. */
    static final String ALPN = "istio.alpn";

    static final String PEER_METADATA_TYPE = "type.googleapis.com/io.istio.http.peer_metadata.Config";
    static final String TCP_METADATA_EXCHANGE_TYPE = "type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange";
    static final String STATS_TYPE = "type.googleapis.com/stats.PluginConfig";
    static final String ALPN_TYPE = "type.googleapis.com/istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig";

    /** The ALPN Istio's peer exchange negotiates on mTLS connections. */
    static final String PEER_EXCHANGE_ALPN = "istio-peer-exchange";

    private IstioFilters() {
    }

    /** {@code io.istio.http.peer_metadata} on an outbound connection manager: discover and propagate upstream. */
    static HttpFilter outboundPeerMetadata() {
        return Built.OUTBOUND_PEER_METADATA;
    }

    private static HttpFilter buildOutboundPeerMetadata() {
        return HttpFilter.newBuilder().setName(METADATA_EXCHANGE)
                .setTypedConfig(typedStruct(PEER_METADATA_TYPE, peerMetadata("upstream"))).build();
    }

    /** {@code io.istio.http.peer_metadata} on an inbound connection manager: discover and propagate downstream. */
    static HttpFilter inboundPeerMetadata() {
        return Built.INBOUND_PEER_METADATA;
    }

    private static HttpFilter buildInboundPeerMetadata() {
        return HttpFilter.newBuilder().setName(METADATA_EXCHANGE)
                .setTypedConfig(typedStruct(PEER_METADATA_TYPE, peerMetadata("downstream"))).build();
    }

    /** {@code istio.stats} HTTP filter; inbound disables the host-header fallback (Istio's {@code disableHostHeaderFallback}). */
    static HttpFilter httpStats(boolean inbound) {
        return inbound ? Built.INBOUND_HTTP_STATS : Built.OUTBOUND_HTTP_STATS;
    }

    private static HttpFilter buildHttpStats(boolean inbound) {
        return HttpFilter.newBuilder().setName(STATS).setTypedConfig(stats(inbound)).build();
    }

    /** {@code istio.stats} network filter (TCP metrics). */
    static io.envoyproxy.envoy.config.listener.v3.Filter networkStats(boolean inbound) {
        return inbound ? Built.INBOUND_NETWORK_STATS : Built.OUTBOUND_NETWORK_STATS;
    }

    private static io.envoyproxy.envoy.config.listener.v3.Filter buildNetworkStats(boolean inbound) {
        return io.envoyproxy.envoy.config.listener.v3.Filter.newBuilder().setName(STATS).setTypedConfig(stats(inbound))
                .build();
    }

    /** {@code istio.metadata_exchange} network filter of inbound chains (TCP peer exchange). */
    static io.envoyproxy.envoy.config.listener.v3.Filter networkMetadataExchange() {
        return Built.NETWORK_METADATA_EXCHANGE;
    }

    private static io.envoyproxy.envoy.config.listener.v3.Filter buildNetworkMetadataExchange() {
        return io.envoyproxy.envoy.config.listener.v3.Filter.newBuilder().setName(METADATA_EXCHANGE)
                .setTypedConfig(typedStruct(TCP_METADATA_EXCHANGE_TYPE, tcpMetadataExchange())).build();
    }

    /** {@code istio.metadata_exchange} upstream (cluster) filter of outbound clusters and PassthroughCluster. */
    static Filter clusterMetadataExchange() {
        return Built.CLUSTER_METADATA_EXCHANGE;
    }

    private static Filter buildClusterMetadataExchange() {
        return Filter.newBuilder().setName(METADATA_EXCHANGE)
                .setTypedConfig(typedStruct(TCP_METADATA_EXCHANGE_TYPE, tcpMetadataExchange())).build();
    }

    /** {@code istio.alpn}: upstream ALPN {@code istio-http/1.0|1.1|istio-h2}, then {@code istio}, then the plain one. */
    static HttpFilter alpn() {
        return Built.ALPN_FILTER;
    }

    private static HttpFilter buildAlpn() {
        List<Value> overrides = List.of(
                alpnOverride("HTTP10", "istio-http/1.0", "http/1.0"),
                alpnOverride("HTTP11", "istio-http/1.1", "http/1.1"),
                alpnOverride("HTTP2", "istio-h2", "h2"));
        return HttpFilter.newBuilder().setName(ALPN)
                .setTypedConfig(typedStruct(ALPN_TYPE, Map.of("alpn_override", Protos.list(overrides)))).build();
    }

    private static Value alpnOverride(String protocol, String istioAlpn, String plainAlpn) {
        Map<String, Value> fields = new LinkedHashMap<>();
        if (!protocol.equals("HTTP10")) {
            fields.put("upstream_protocol", Protos.string(protocol)); // HTTP10 is the enum's zero value: omitted
        }
        fields.put("alpn_override", Protos.list(List.of(Protos.string(istioAlpn), Protos.string("istio"),
                Protos.string(plainAlpn))));
        return Protos.structValue(fields);
    }

    private static Any stats(boolean inbound) {
        return typedStruct(STATS_TYPE, inbound
                ? Map.of("disable_host_header_fallback", Value.newBuilder().setBoolValue(true).build())
                : Map.of());
    }

    private static Map<String, Value> peerMetadata(String direction) {
        Value discovery = Protos.list(List.of(
                Protos.structValue(Map.of("istio_headers", Protos.structValue(Map.of()))),
                Protos.structValue(Map.of("workload_discovery", Protos.structValue(Map.of())))));
        Value propagation = Protos.list(List.of(
                Protos.structValue(Map.of("istio_headers", Protos.structValue(Map.of())))));
        return Map.of(direction + "_discovery", discovery, direction + "_propagation", propagation);
    }

    private static Map<String, Value> tcpMetadataExchange() {
        return Map.of("protocol", Protos.string(PEER_EXCHANGE_ALPN),
                "enable_discovery", Value.newBuilder().setBoolValue(true).build());
    }

    private static Any typedStruct(String typeUrl, Map<String, Value> fields) {
        Struct value = Protos.struct(fields);
        return Protos.pack(TypedStruct.newBuilder().setTypeUrl(typeUrl).setValue(value).build());
    }

    /**
     * Each filter built once: they are constants (immutable protos), and building one packs a TypedStruct. A
     * 10k-service scope asks for them thousands of times.
     */
    private static final class Built {
        static final HttpFilter OUTBOUND_PEER_METADATA = buildOutboundPeerMetadata();
        static final HttpFilter INBOUND_PEER_METADATA = buildInboundPeerMetadata();
        static final HttpFilter INBOUND_HTTP_STATS = buildHttpStats(true);
        static final HttpFilter OUTBOUND_HTTP_STATS = buildHttpStats(false);
        static final io.envoyproxy.envoy.config.listener.v3.Filter INBOUND_NETWORK_STATS = buildNetworkStats(true);
        static final io.envoyproxy.envoy.config.listener.v3.Filter OUTBOUND_NETWORK_STATS = buildNetworkStats(false);
        static final io.envoyproxy.envoy.config.listener.v3.Filter NETWORK_METADATA_EXCHANGE =
                buildNetworkMetadataExchange();
        static final Filter CLUSTER_METADATA_EXCHANGE = buildClusterMetadataExchange();
        static final HttpFilter ALPN_FILTER = buildAlpn();

        private Built() {
        }
    }
}
