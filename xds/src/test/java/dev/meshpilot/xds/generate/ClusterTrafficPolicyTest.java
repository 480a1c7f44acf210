package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.TrafficPolicy;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.validate.XdsValidator;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** DestinationRule traffic policies on outbound sidecar clusters, as Istio's cluster_traffic_policy.go applies them. */
class ClusterTrafficPolicyTest {

    private static final String REVIEWS = "reviews.default.svc.cluster.local";
    private static final long UNLIMITED = 4294967295L;
    private final ProxyConfigGenerator generator = new ProxyConfigGenerator();

    private static TrafficPolicy.ConnectionPool pool(int maxConnections, int pending, int requests, int retries,
                                                     int perConnection, Duration idle, Duration connect) {
        return new TrafficPolicy.ConnectionPool(OptionalInt.of(maxConnections), Optional.ofNullable(connect),
                OptionalInt.of(pending), OptionalInt.of(requests), OptionalInt.of(perConnection),
                OptionalInt.of(retries), Optional.ofNullable(idle));
    }

    private static Optional<TrafficPolicy.LoadBalancer> lb(TrafficPolicy.Simple simple) {
        return Optional.of(new TrafficPolicy.LoadBalancer(simple, Optional.empty()));
    }

    private ProxyResources withRule(TrafficPolicy destination, DestinationRuleResource.Subset... subsets) {
        TestMesh mesh = TestMesh.bookinfo();
        mesh.destinationRule(new DestinationRuleResource(ObjectMeta.of("default", "reviews"), REVIEWS,
                List.of(subsets), List.of(), Optional.empty(), Optional.ofNullable(destination)));
        ProxyResources resources = generator.generate(mesh.snapshot(),
                TestMesh.sidecar("productpage-v1-0", "default", "10.0.0.10", Map.of("app", "productpage")),
                mesh.scope("default"));
        assertThat(XdsValidator.validate(resources)).as("Envoy's validate rules").isEmpty();
        return resources;
    }

    private static Cluster cluster(ProxyResources resources, String name) {
        return (Cluster) resources.clusters().get(name).orElseThrow(() -> new AssertionError("no " + name)).proto();
    }

    @Test
    void withoutAPolicy_outboundClustersBalanceByLeastRequest_asIstiosDefault() {
        ProxyResources r = withRule(null);
        Cluster reviews = cluster(r, "outbound|9080||" + REVIEWS);
        assertThat(reviews.getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
        assertThat(reviews.hasOutlierDetection()).isFalse();
        assertThat(Integer.toUnsignedLong(reviews.getCircuitBreakers().getThresholds(0).getMaxConnections().getValue()))
                .isEqualTo(UNLIMITED);
    }

    @Test
    void connectionPool_setsThresholdsTimeoutAndHttpOptions_leavingZerosAtTheirMaximum() throws Exception {
        ProxyResources r = withRule(new TrafficPolicy(Optional.of(pool(100, 10, 0, 3, 5, Duration.ofSeconds(15),
                Duration.ofMillis(30))), Optional.empty(), Optional.empty(), List.of()),
                new DestinationRuleResource.Subset("v1", Map.of("version", "v1")));
        Cluster reviews = cluster(r, "outbound|9080||" + REVIEWS);
        var threshold = reviews.getCircuitBreakers().getThresholds(0);
        assertThat(threshold.getMaxConnections().getValue()).isEqualTo(100);
        assertThat(threshold.getMaxPendingRequests().getValue()).isEqualTo(10);
        assertThat(Integer.toUnsignedLong(threshold.getMaxRequests().getValue())).isEqualTo(UNLIMITED); // 0: "not set"
        assertThat(threshold.getMaxRetries().getValue()).isEqualTo(3);
        assertThat(threshold.getTrackRemaining()).isTrue();
        assertThat(reviews.getConnectTimeout().getNanos()).isEqualTo(30_000_000);
        HttpProtocolOptions options = reviews.getTypedExtensionProtocolOptionsOrThrow(ClusterProtos.HTTP_PROTOCOL_OPTIONS)
                .unpack(HttpProtocolOptions.class);
        assertThat(options.getCommonHttpProtocolOptions().getIdleTimeout().getSeconds()).isEqualTo(15);
        assertThat(options.getCommonHttpProtocolOptions().getMaxRequestsPerConnection().getValue()).isEqualTo(5);
        assertThat(options.getExplicitHttpConfig().hasHttpProtocolOptions()).isTrue();
        // the subset clusters of the rule get the destination's policy too
        assertThat(cluster(r, "outbound|9080|v1|" + REVIEWS).getCircuitBreakers().getThresholds(0)
                .getMaxConnections().getValue()).isEqualTo(100);
    }

    @Test
    void tcpIdleTimeout_standsInForHttps_andStreamsAreLimitedOnHttp2ClustersOnly() throws Exception {
        TestMesh mesh = TestMesh.bookinfo();
        mesh.service("grpc-api", "default", "10.96.0.40", Map.of("app", "grpc-api"), TestMesh.port("grpc", 7070, 7070, dev.meshpilot.core.model.Protocol.GRPC));
        TrafficPolicy policy = new TrafficPolicy(Optional.of(new TrafficPolicy.ConnectionPool(OptionalInt.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty(), Optional.of(Duration.ofMinutes(2)), Optional.of(Duration.ofHours(1)),
                OptionalInt.of(64))), Optional.empty(), Optional.empty(), List.of());
        for (String host : List.of(REVIEWS, "grpc-api.default.svc.cluster.local")) {
            mesh.destinationRule(new DestinationRuleResource(ObjectMeta.of("default", host.split("\\.")[0]), host,
                    List.of(), List.of(), Optional.empty(), Optional.of(policy)));
        }
        ProxyResources r = generator.generate(mesh.snapshot(),
                TestMesh.sidecar("productpage-v1-0", "default", "10.0.0.10", Map.of("app", "productpage")),
                mesh.scope("default"));
        assertThat(XdsValidator.validate(r)).isEmpty();
        HttpProtocolOptions http1 = cluster(r, "outbound|9080||" + REVIEWS)
                .getTypedExtensionProtocolOptionsOrThrow(ClusterProtos.HTTP_PROTOCOL_OPTIONS).unpack(HttpProtocolOptions.class);
        assertThat(http1.getCommonHttpProtocolOptions().getIdleTimeout().getSeconds()).isEqualTo(120);
        assertThat(http1.getCommonHttpProtocolOptions().getMaxConnectionDuration().getSeconds()).isEqualTo(3600);
        assertThat(http1.getExplicitHttpConfig().hasHttp2ProtocolOptions()).isFalse();
        HttpProtocolOptions http2 = cluster(r, "outbound|7070||grpc-api.default.svc.cluster.local")
                .getTypedExtensionProtocolOptionsOrThrow(ClusterProtos.HTTP_PROTOCOL_OPTIONS).unpack(HttpProtocolOptions.class);
        assertThat(http2.getExplicitHttpConfig().getHttp2ProtocolOptions().getMaxConcurrentStreams().getValue())
                .isEqualTo(64);
        assertThat(http2.getCommonHttpProtocolOptions().getIdleTimeout().getSeconds()).isEqualTo(120);
    }

    @Test
    void outlierDetection_ejectsOnErrorsWithSuccessRateOff_andSetsThePanicThreshold() {
        ProxyResources r = withRule(new TrafficPolicy(Optional.empty(), Optional.empty(), Optional.of(
                new TrafficPolicy.OutlierDetection(OptionalInt.of(7), OptionalInt.of(0), Optional.of(Duration.ofMinutes(5)),
                        Optional.of(Duration.ofMinutes(15)), OptionalInt.of(50), OptionalInt.empty())), List.of()));
        Cluster reviews = cluster(r, "outbound|9080||" + REVIEWS);
        var od = reviews.getOutlierDetection();
        assertThat(od.getConsecutive5Xx().getValue()).isEqualTo(7);
        assertThat(od.getEnforcingConsecutive5Xx().getValue()).isEqualTo(100);
        assertThat(od.hasConsecutiveGatewayFailure()).isTrue();
        assertThat(od.getEnforcingConsecutiveGatewayFailure().getValue()).isZero();
        assertThat(od.getEnforcingSuccessRate().getValue()).isZero();
        assertThat(od.hasEnforcingSuccessRate()).isTrue();
        assertThat(od.getInterval().getSeconds()).isEqualTo(300);
        assertThat(od.getBaseEjectionTime().getSeconds()).isEqualTo(900);
        assertThat(od.getMaxEjectionPercent().getValue()).isEqualTo(50);
        assertThat(reviews.getCommonLbConfig().hasHealthyPanicThreshold()).isTrue();
        assertThat(reviews.getCommonLbConfig().getHealthyPanicThreshold().getValue()).isZero();
    }

    @Test
    void aSubsetsPolicy_overridesTheDestinationsForItsClusterOnly() {
        TrafficPolicy random = new TrafficPolicy(Optional.empty(), lb(TrafficPolicy.Simple.RANDOM), Optional.empty(),
                List.of());
        TrafficPolicy roundRobin = new TrafficPolicy(Optional.empty(), lb(TrafficPolicy.Simple.ROUND_ROBIN),
                Optional.empty(), List.of());
        ProxyResources r = withRule(random,
                new DestinationRuleResource.Subset("v1", Map.of("version", "v1")),
                new DestinationRuleResource.Subset("v2", Map.of("version", "v2"), Optional.of(roundRobin)));
        assertThat(cluster(r, "outbound|9080||" + REVIEWS).getLbPolicy()).isEqualTo(Cluster.LbPolicy.RANDOM);
        assertThat(cluster(r, "outbound|9080|v1|" + REVIEWS).getLbPolicy()).isEqualTo(Cluster.LbPolicy.RANDOM);
        assertThat(cluster(r, "outbound|9080|v2|" + REVIEWS).getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
    }

    @Test
    void portLevelSettings_applyToThatPortOnly() {
        TrafficPolicy policy = new TrafficPolicy(Optional.empty(), lb(TrafficPolicy.Simple.RANDOM), Optional.empty(),
                List.of(new TrafficPolicy.PortPolicy(9080, Optional.empty(), lb(TrafficPolicy.Simple.ROUND_ROBIN),
                        Optional.empty()), new TrafficPolicy.PortPolicy(7777, Optional.empty(),
                        lb(TrafficPolicy.Simple.LEAST_CONN), Optional.empty())));
        ProxyResources r = withRule(policy);
        assertThat(cluster(r, "outbound|9080||" + REVIEWS).getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
    }

    @Test
    void warmup_becomesASlowStartWindow() {
        ProxyResources r = withRule(new TrafficPolicy(Optional.empty(), Optional.of(new TrafficPolicy.LoadBalancer(
                TrafficPolicy.Simple.UNSPECIFIED, Optional.of(Duration.ofSeconds(60)))), Optional.empty(), List.of()));
        Cluster reviews = cluster(r, "outbound|9080||" + REVIEWS);
        assertThat(reviews.getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
        assertThat(reviews.getLeastRequestLbConfig().getSlowStartConfig().getSlowStartWindow().getSeconds())
                .isEqualTo(60);
    }

    @Test
    void passthrough_makesTheClusterOriginalDestination_withNoEndpointsToServe() {
        ProxyResources r = withRule(new TrafficPolicy(Optional.empty(), lb(TrafficPolicy.Simple.PASSTHROUGH),
                Optional.empty(), List.of()));
        Cluster reviews = cluster(r, "outbound|9080||" + REVIEWS);
        assertThat(reviews.getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
        assertThat(reviews.getLbPolicy()).isEqualTo(Cluster.LbPolicy.CLUSTER_PROVIDED);
        assertThat(reviews.hasEdsClusterConfig()).isFalse();
        assertThat(r.endpoints().contains("outbound|9080||" + REVIEWS)).isFalse();
        assertThat(r.endpoints().contains("outbound|9080||ratings.default.svc.cluster.local")).isTrue();
    }
}
