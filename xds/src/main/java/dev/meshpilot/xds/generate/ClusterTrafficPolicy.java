package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.TrafficPolicy;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.type.v3.Percent;

import java.util.Optional;

/**
 * A DestinationRule traffic policy applied to an outbound sidecar cluster as Istio applies it
 * ({@code cluster_traffic_policy.go}): connection pool limits into the circuit breaker thresholds, connect timeout
 * and HTTP protocol options; outlier detection with success-rate ejection off and the panic threshold at
 * {@code minHealthPercent}; the load balancer, {@code LEAST_REQUEST} unless the policy says otherwise.
 */
final class ClusterTrafficPolicy {

    private ClusterTrafficPolicy() {
    }

    /** Applies the policy (or Istio's defaults when there is none) to an outbound cluster being built. */
    static void apply(Cluster.Builder cluster, Optional<TrafficPolicy> policy) {
        policy.flatMap(TrafficPolicy::connectionPool).ifPresent(pool -> applyConnectionPool(cluster, pool));
        policy.flatMap(TrafficPolicy::outlierDetection).ifPresent(od -> applyOutlierDetection(cluster, od));
        applyLoadBalancer(cluster, policy.flatMap(TrafficPolicy::loadBalancer));
    }

    private static void applyConnectionPool(Cluster.Builder cluster, TrafficPolicy.ConnectionPool pool) {
        CircuitBreakers.Thresholds.Builder threshold = ClusterProtos.unlimitedCircuitBreakers().getThresholds(0)
                .toBuilder();
        // As in Istio, zero means "not set": the limit stays at its maximum.
        pool.http2MaxRequests().stream().filter(v -> v > 0).forEach(v -> threshold.setMaxRequests(Protos.uint32(v)));
        pool.http1MaxPendingRequests().stream().filter(v -> v > 0)
                .forEach(v -> threshold.setMaxPendingRequests(Protos.uint32(v)));
        pool.maxRetries().stream().filter(v -> v > 0).forEach(v -> threshold.setMaxRetries(Protos.uint32(v)));
        pool.maxConnections().stream().filter(v -> v > 0).forEach(v -> threshold.setMaxConnections(Protos.uint32(v)));
        pool.connectTimeout().ifPresent(t -> cluster.setConnectTimeout(Protos.duration(t)));
        cluster.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(threshold));

        int perConnection = pool.maxRequestsPerConnection().orElse(0);
        int streams = pool.maxConcurrentStreams().orElse(0);
        Optional<java.time.Duration> idle = pool.idleTimeout().or(pool::tcpIdleTimeout);
        if (idle.isEmpty() && perConnection <= 0 && pool.maxConnectionDuration().isEmpty() && streams <= 0) {
            return;
        }
        io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.Builder options =
                existingHttpOptions(cluster);
        HttpProtocolOptions.Builder common = options.getCommonHttpProtocolOptions().toBuilder();
        idle.ifPresent(t -> common.setIdleTimeout(Protos.duration(t)));
        if (perConnection > 0) {
            common.setMaxRequestsPerConnection(Protos.uint32(perConnection));
        }
        pool.maxConnectionDuration().ifPresent(t -> common.setMaxConnectionDuration(Protos.duration(t)));
        options.setCommonHttpProtocolOptions(common);
        if (streams > 0 && options.getExplicitHttpConfig().hasHttp2ProtocolOptions()) {
            // only an HTTP/2 cluster has streams to limit, as in Istio
            options.getExplicitHttpConfigBuilder().getHttp2ProtocolOptionsBuilder()
                    .setMaxConcurrentStreams(Protos.uint32(streams));
        }
        if (!options.hasExplicitHttpConfig() && !options.hasUseDownstreamProtocolConfig()
                && !options.hasAutoConfig()) {
            // Envoy requires an upstream protocol choice next to the common options; HTTP/1.1 is what the cluster
            // would speak without them.
            options.setExplicitHttpConfig(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                    .ExplicitHttpConfig.newBuilder().setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance()));
        }
        cluster.putTypedExtensionProtocolOptions(ClusterProtos.HTTP_PROTOCOL_OPTIONS, Protos.pack(options.build()));
    }

    /** Stores HTTP protocol options, adding the HTTP/1.1 upstream choice Envoy requires when none is made. */
    static void putHttpOptions(Cluster.Builder cluster,
                               io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.Builder options) {
        if (!options.hasExplicitHttpConfig() && !options.hasUseDownstreamProtocolConfig()
                && !options.hasAutoConfig()) {
            options.setExplicitHttpConfig(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                    .ExplicitHttpConfig.newBuilder().setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance()));
        }
        cluster.putTypedExtensionProtocolOptions(ClusterProtos.HTTP_PROTOCOL_OPTIONS, Protos.pack(options.build()));
    }

    static io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.Builder existingHttpOptions(
            Cluster.Builder cluster) {
        var packed = cluster.getTypedExtensionProtocolOptionsMap().get(ClusterProtos.HTTP_PROTOCOL_OPTIONS);
        if (packed == null) {
            return io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder();
        }
        try {
            return packed.unpack(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.class)
                    .toBuilder();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("protocol options built by ClusterProtos are always readable", e);
        }
    }

    private static void applyOutlierDetection(Cluster.Builder cluster, TrafficPolicy.OutlierDetection od) {
        OutlierDetection.Builder out = OutlierDetection.newBuilder()
                .setEnforcingSuccessRate(Protos.uint32(0)); // success-rate ejection is off in Istio
        od.consecutive5xxErrors().ifPresent(v -> out.setConsecutive5Xx(Protos.uint32(v))
                .setEnforcingConsecutive5Xx(Protos.uint32(v > 0 ? 100 : 0)));
        od.consecutiveGatewayErrors().ifPresent(v -> out.setConsecutiveGatewayFailure(Protos.uint32(v))
                .setEnforcingConsecutiveGatewayFailure(Protos.uint32(v > 0 ? 100 : 0)));
        od.interval().ifPresent(t -> out.setInterval(Protos.duration(t)));
        od.baseEjectionTime().ifPresent(t -> out.setBaseEjectionTime(Protos.duration(t)));
        od.maxEjectionPercent().stream().filter(v -> v > 0).forEach(v -> out.setMaxEjectionPercent(Protos.uint32(v)));
        cluster.setOutlierDetection(out);
        // Istio always sets the panic threshold with outlier detection (0, i.e. off, unless minHealthPercent says).
        cluster.setCommonLbConfig(cluster.getCommonLbConfig().toBuilder()
                .setHealthyPanicThreshold(Percent.newBuilder().setValue(od.minHealthPercent().orElse(0))));
    }

    private static void applyLoadBalancer(Cluster.Builder cluster, Optional<TrafficPolicy.LoadBalancer> lb) {
        if (cluster.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
            cluster.setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED); // PASSTHROUGH made it one (ServiceClusters)
            return;
        }
        TrafficPolicy.Simple simple = lb.map(TrafficPolicy.LoadBalancer::simple).orElse(TrafficPolicy.Simple.UNSPECIFIED);
        Optional<com.google.protobuf.Duration> warmup = lb.flatMap(TrafficPolicy.LoadBalancer::warmup)
                .map(Protos::duration);
        switch (simple) {
            case RANDOM -> cluster.setLbPolicy(Cluster.LbPolicy.RANDOM);
            case ROUND_ROBIN -> {
                cluster.setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
                warmup.ifPresent(w -> cluster.setRoundRobinLbConfig(Cluster.RoundRobinLbConfig.newBuilder()
                        .setSlowStartConfig(Cluster.SlowStartConfig.newBuilder().setSlowStartWindow(w))));
            }
            case PASSTHROUGH -> cluster.setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
            default -> { // LEAST_REQUEST, LEAST_CONN and unset: Istio's default algorithm
                cluster.setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST);
                warmup.ifPresent(w -> cluster.setLeastRequestLbConfig(Cluster.LeastRequestLbConfig.newBuilder()
                        .setSlowStartConfig(Cluster.SlowStartConfig.newBuilder().setSlowStartWindow(w))));
            }
        }
    }
}
