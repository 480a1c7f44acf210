package dev.meshpilot.xds.generate;

import com.google.protobuf.Value;
import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.xds.naming.IstioConfigPath;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.BindConfig;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Cluster pieces shared by outbound, inbound and fixed clusters, shaped as Istio's sidecar clusters. */
final class ClusterProtos {

    /** Istio's default connect timeout for sidecar clusters. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;
    /** Source address of connections leaving the sidecar towards its own workload (InboundPassthrough, inbound). */
    static final String INBOUND_BIND_ADDRESS = "127.0.0.6";
    static final String HTTP_PROTOCOL_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    /**
     * Istio's "never" for an inbound original-destination cluster's {@code cleanup_interval}: the largest duration
     * in seconds Go can hold, about 292 years ({@code maxSecondsValue} in istiod's {@code cluster_builder.go}).
     */
    static final long NEVER_CLEANUP_SECONDS = (Long.MAX_VALUE - 999_999_999L) / 1_000_000_000L;

    private static final int UNLIMITED = -1; // 4294967295 as an unsigned 32-bit value

    private ClusterProtos() {
    }

    /** Istio's default circuit breaker: every limit at its maximum, remaining capacity tracked. */
    static CircuitBreakers unlimitedCircuitBreakers() {
        return CircuitBreakers.newBuilder()
                .addThresholds(CircuitBreakers.Thresholds.newBuilder()
                        .setPriority(RoutingPriority.DEFAULT)
                        .setMaxConnections(Protos.uint32(UNLIMITED))
                        .setMaxPendingRequests(Protos.uint32(UNLIMITED))
                        .setMaxRequests(Protos.uint32(UNLIMITED))
                        .setMaxRetries(Protos.uint32(UNLIMITED))
                        .setTrackRemaining(true))
                .build();
    }

    /** Upstream HTTP/2 for ports declared HTTP/2 or gRPC (Envoy would otherwise speak HTTP/1.1 upstream). */
    static void addProtocolOptions(Cluster.Builder cluster, Protocol protocol) {
        if (protocol == Protocol.HTTP2 || protocol == Protocol.GRPC || protocol == Protocol.GRPC_WEB) {
            HttpProtocolOptions options = HttpProtocolOptions.newBuilder()
                    .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                            .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                    .build();
            cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, Protos.pack(options));
        }
    }

    /**
     * The passthrough clusters' HTTP options (istiod's {@code passthroughHttpProtocolOptions}): upstream HTTP as the
     * downstream spoke it, and a 5 minute idle timeout.
     */
    static HttpProtocolOptions passthroughProtocolOptions() {
        return HttpProtocolOptions.newBuilder()
                .setCommonHttpProtocolOptions(io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder()
                        .setIdleTimeout(Protos.seconds(300)))
                .setUseDownstreamProtocolConfig(HttpProtocolOptions.UseDownstreamHttpConfig.newBuilder()
                        .setHttpProtocolOptions(io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions.getDefaultInstance())
                        .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                .build();
    }

    static BindConfig inboundBind() {
        return BindConfig.newBuilder()
                .setSourceAddress(SocketAddress.newBuilder().setAddress(INBOUND_BIND_ADDRESS).setPortValue(0))
                .build();
    }

    /**
     * Istio's cluster metadata: {@code filter_metadata.istio.services} naming the service(s) and, when a
     * DestinationRule shaped the cluster, {@code filter_metadata.istio.config} with its path (istioctl reads it for
     * the DESTINATION RULE column).
     */
    static Metadata istioMetadata(List<MeshService> services, Optional<DestinationRuleResource> rule) {
        return istioMetadata(services, rule, Optional.empty());
    }

    /** As {@link #istioMetadata(List, Optional)}, plus {@code istio.subset} on a subset cluster (Istio's {@code AddSubsetToMetadata}). */
    static Metadata istioMetadata(List<MeshService> services, Optional<DestinationRuleResource> rule,
                                  Optional<String> subset) {
        Map<String, Value> fields = new LinkedHashMap<>();
        subset.ifPresent(s -> fields.put("subset", Protos.string(s)));
        rule.ifPresent(r -> fields.put(IstioConfigPath.METADATA_FIELD, Protos.string(
                IstioConfigPath.destinationRule(r.meta().namespace(), r.meta().name()).value())));
        if (!services.isEmpty()) {
            fields.put("services", Protos.list(services.stream().map(ClusterProtos::serviceRef).toList()));
        }
        return Protos.filterMetadata(IstioConfigPath.METADATA_FILTER, fields);
    }

    private static Value serviceRef(MeshService service) {
        Map<String, Value> ref = new LinkedHashMap<>();
        ref.put("host", Protos.string(service.hostname()));
        ref.put("name", Protos.string(service.name()));
        ref.put("namespace", Protos.string(service.namespace()));
        return Protos.structValue(ref);
    }
}
