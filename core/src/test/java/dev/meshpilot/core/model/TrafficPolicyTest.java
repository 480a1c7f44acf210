package dev.meshpilot.core.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** Istio's MergeSubsetTrafficPolicy, case by case (pilot/pkg/networking/util). */
class TrafficPolicyTest {

    private static Optional<TrafficPolicy.ConnectionPool> pool(int maxConnections) {
        return Optional.of(new TrafficPolicy.ConnectionPool(OptionalInt.of(maxConnections), Optional.empty(),
                OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty()));
    }

    private static Optional<TrafficPolicy.LoadBalancer> lb(TrafficPolicy.Simple simple) {
        return Optional.of(new TrafficPolicy.LoadBalancer(simple, Optional.empty()));
    }

    private static Optional<TrafficPolicy.OutlierDetection> outlier(int consecutive5xx) {
        return Optional.of(new TrafficPolicy.OutlierDetection(OptionalInt.of(consecutive5xx), OptionalInt.empty(),
                Optional.of(Duration.ofSeconds(10)), Optional.empty(), OptionalInt.empty(), OptionalInt.empty()));
    }

    private static TrafficPolicy policy(Optional<TrafficPolicy.ConnectionPool> pool,
                                        Optional<TrafficPolicy.LoadBalancer> lb,
                                        Optional<TrafficPolicy.OutlierDetection> od, TrafficPolicy.PortPolicy... ports) {
        return new TrafficPolicy(pool, lb, od, List.of(ports));
    }

    @Test
    void noPolicies_giveNone() {
        assertThat(TrafficPolicy.forPort(Optional.empty(), Optional.empty(), 80)).isEmpty();
    }

    @Test
    void destinationOnly_isUsedAsIs_withoutItsPortList() {
        TrafficPolicy dr = policy(pool(10), lb(TrafficPolicy.Simple.RANDOM), Optional.empty());
        assertThat(TrafficPolicy.forPort(Optional.of(dr), Optional.empty(), 80)).contains(dr);
    }

    @Test
    void subsetComponents_overrideTheDestinations_oneByOne() {
        TrafficPolicy dr = policy(pool(10), lb(TrafficPolicy.Simple.RANDOM), outlier(5));
        TrafficPolicy subset = policy(Optional.empty(), lb(TrafficPolicy.Simple.ROUND_ROBIN), Optional.empty());
        TrafficPolicy merged = TrafficPolicy.forPort(Optional.of(dr), Optional.of(subset), 80).orElseThrow();
        assertThat(merged.connectionPool()).isEqualTo(pool(10));
        assertThat(merged.loadBalancer()).isEqualTo(lb(TrafficPolicy.Simple.ROUND_ROBIN));
        assertThat(merged.outlierDetection()).isEqualTo(outlier(5));
    }

    @Test
    void portLevelSettings_replaceAllThreeComponents_unsetOnesFallingBackToDefaults() {
        TrafficPolicy dr = policy(pool(10), lb(TrafficPolicy.Simple.RANDOM), outlier(5),
                new TrafficPolicy.PortPolicy(9080, pool(3), Optional.empty(), Optional.empty()));
        TrafficPolicy at9080 = TrafficPolicy.forPort(Optional.of(dr), Optional.empty(), 9080).orElseThrow();
        assertThat(at9080.connectionPool()).isEqualTo(pool(3));
        assertThat(at9080.loadBalancer()).isEmpty();
        assertThat(at9080.outlierDetection()).isEmpty();
        TrafficPolicy at80 = TrafficPolicy.forPort(Optional.of(dr), Optional.empty(), 80).orElseThrow();
        assertThat(at80.connectionPool()).isEqualTo(pool(10));
        assertThat(at80.portLevelSettings()).isEmpty();
    }

    @Test
    void aSubsetsPortLevelSettings_replaceEverythingTheDestinationSaid() {
        TrafficPolicy dr = policy(pool(10), lb(TrafficPolicy.Simple.RANDOM), outlier(5));
        TrafficPolicy subset = policy(pool(1), Optional.empty(), Optional.empty(),
                new TrafficPolicy.PortPolicy(9080, Optional.empty(), lb(TrafficPolicy.Simple.LEAST_REQUEST),
                        Optional.empty()));
        TrafficPolicy merged = TrafficPolicy.forPort(Optional.of(dr), Optional.of(subset), 9080).orElseThrow();
        assertThat(merged.connectionPool()).isEmpty();
        assertThat(merged.loadBalancer()).isEqualTo(lb(TrafficPolicy.Simple.LEAST_REQUEST));
        assertThat(merged.outlierDetection()).isEmpty();
        // on another port the subset's own top level applies over the destination's
        TrafficPolicy other = TrafficPolicy.forPort(Optional.of(dr), Optional.of(subset), 80).orElseThrow();
        assertThat(other.connectionPool()).isEqualTo(pool(1));
        assertThat(other.loadBalancer()).isEqualTo(lb(TrafficPolicy.Simple.RANDOM));
    }

    @Test
    void subsetOnly_isTheSubsetsPolicyAtThePort() {
        TrafficPolicy subset = policy(pool(1), Optional.empty(), Optional.empty());
        assertThat(TrafficPolicy.forPort(Optional.empty(), Optional.of(subset), 80).orElseThrow().connectionPool())
                .isEqualTo(pool(1));
    }

    // ----- tls (Istio's MergeTrafficPolicy treats it like the other components)

    private static Optional<TrafficPolicy.ClientTls> tls(TrafficPolicy.TlsMode mode) {
        return Optional.of(TrafficPolicy.ClientTls.of(mode));
    }

    @Test
    void subsetTls_overridesTheDestinations_andAbsentSubsetTlsKeepsIt() {
        TrafficPolicy dr = new TrafficPolicy(Optional.empty(), Optional.empty(), Optional.empty(),
                tls(TrafficPolicy.TlsMode.ISTIO_MUTUAL), List.of());
        TrafficPolicy disable = new TrafficPolicy(Optional.empty(), Optional.empty(), Optional.empty(),
                tls(TrafficPolicy.TlsMode.DISABLE), List.of());
        TrafficPolicy lbOnly = policy(Optional.empty(), lb(TrafficPolicy.Simple.RANDOM), Optional.empty());
        assertThat(TrafficPolicy.forPort(Optional.of(dr), Optional.of(disable), 80).orElseThrow().tls())
                .isEqualTo(tls(TrafficPolicy.TlsMode.DISABLE));
        assertThat(TrafficPolicy.forPort(Optional.of(dr), Optional.of(lbOnly), 80).orElseThrow().tls())
                .isEqualTo(tls(TrafficPolicy.TlsMode.ISTIO_MUTUAL));
    }

    @Test
    void portLevelSettingsWithoutTls_dropTheDestinationsTls_asIstioDoes() {
        TrafficPolicy dr = new TrafficPolicy(Optional.empty(), Optional.empty(), Optional.empty(),
                tls(TrafficPolicy.TlsMode.SIMPLE), List.of(new TrafficPolicy.PortPolicy(9080, pool(3),
                Optional.empty(), Optional.empty())));
        assertThat(TrafficPolicy.forPort(Optional.of(dr), Optional.empty(), 9080).orElseThrow().tls()).isEmpty();
        assertThat(TrafficPolicy.forPort(Optional.of(dr), Optional.empty(), 80).orElseThrow().tls())
                .isEqualTo(tls(TrafficPolicy.TlsMode.SIMPLE));
    }
}
