package dev.meshpilot.insight.model;

import dev.meshpilot.insight.model.EnvoyMemoryModel.StatsProfile;
import dev.meshpilot.insight.model.MemoryEstimate.Uncertainty;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The published cases of memory-model.md, each within the tolerance the model states for its kind of config. */
class EnvoyMemoryModelTest {

    private static ConfigCounts clusters(int clusters, int tls, long endpoints) {
        return new ConfigCounts(clusters, tls, endpoints, 0, 0, 0, 0, 0);
    }

    @Test
    void envoy18376_2500TlsClustersOn32Workers_isWithin30PercentOf256_5MB() {
        // One STRICT_DNS host per cluster, one static listener with one route (the setup), Envoy stats.
        ConfigCounts counts = new ConfigCounts(2_500, 2_500, 2_500, 1, 0, 0, 1, 1);
        MemoryEstimate estimate = new EnvoyMemoryModel(32, StatsProfile.ENVOY_DEFAULT).estimate(counts);

        assertThat(estimate.uncertainty()).isEqualTo(Uncertainty.CLUSTER_HEAVY);
        assertThat((double) estimate.allocatedBytes()).isCloseTo(256.5e6, within(0.30 * 256.5e6));
        // Calibrated tighter than the stated band: within 15 %.
        assertThat((double) estimate.allocatedBytes()).isCloseTo(256.5e6, within(0.15 * 256.5e6));
        assertThat(estimate.allocatedLow()).isLessThanOrEqualTo(256_500_000L);
        assertThat(estimate.allocatedHigh()).isGreaterThanOrEqualTo(256_500_000L);
    }

    @Test
    void envoyPr23921_100kClustersOneWorker_isWithin30PercentOf4_56GB() {
        MemoryEstimate estimate = new EnvoyMemoryModel(1, StatsProfile.ENVOY_DEFAULT)
                .estimate(clusters(100_000, 0, 100_000));

        assertThat(estimate.uncertainty()).isEqualTo(Uncertainty.CLUSTER_HEAVY);
        assertThat((double) estimate.allocatedBytes()).isCloseTo(4.56e9, within(0.30 * 4.56e9));
        assertThat((double) estimate.allocatedBytes()).isCloseTo(4.56e9, within(0.10 * 4.56e9));
    }

    @Test
    void istio18954_istio13Sidecar_isWithinFactorTwoOf50_3MB() {
        // 325 clusters, 175 listeners, 466 endpoints; listener shape assumed: HTTP with a sniffed TCP chain each,
        // one virtual host per cluster. Listener-heavy, so the stated tolerance is a factor of two.
        ConfigCounts counts = new ConfigCounts(325, 0, 466, 175, 0, 175, 325, 325);
        MemoryEstimate estimate = EnvoyMemoryModel.istioSidecar(2).estimate(counts);

        assertThat(estimate.uncertainty()).isEqualTo(Uncertainty.LISTENER_ROUTE_HEAVY);
        assertThat(estimate.allocatedBytes()).isBetween(25_150_000L, 100_600_000L);
        assertThat(estimate.allocatedLow()).isLessThanOrEqualTo(50_300_000L);
        assertThat(estimate.allocatedHigh()).isGreaterThanOrEqualTo(50_300_000L);
    }

    @Test
    void istio18954_scopedToFiveServices_staysUnder15MB() {
        // ~5 services: 5 outbound + 1 inbound + 3 fixed clusters, a handful of listeners and virtual hosts.
        ConfigCounts counts = new ConfigCounts(9, 0, 10, 5, 2, 8, 7, 7);
        MemoryEstimate estimate = EnvoyMemoryModel.istioSidecar(2).estimate(counts);

        assertThat(estimate.allocatedBytes()).isLessThan(15_000_000L);
    }

    @Test
    void emptyConfig_costsTheBaseOnly() {
        MemoryEstimate estimate = EnvoyMemoryModel.istioSidecar(2).estimate(ConfigCounts.NONE);

        assertThat(estimate.allocatedBytes()).isEqualTo(EnvoyMemoryModel.BASE_BYTES);
        assertThat(estimate.breakdown().total()).isEqualTo(estimate.allocatedBytes());
    }

    @Test
    void eachExtraWorker_addsThePerWorkerCostPerCluster() {
        ConfigCounts counts = clusters(1_000, 0, 0);
        long two = EnvoyMemoryModel.istioSidecar(2).estimate(counts).allocatedBytes();
        long three = EnvoyMemoryModel.istioSidecar(3).estimate(counts).allocatedBytes();

        assertThat(three - two).isEqualTo(1_000 * EnvoyMemoryModel.PER_WORKER_PER_CLUSTER_BYTES);
    }

    @Test
    void tlsClusters_addTheTlsContextEach() {
        EnvoyMemoryModel model = EnvoyMemoryModel.istioSidecar(2);
        long plain = model.estimate(clusters(100, 0, 0)).allocatedBytes();
        long tls = model.estimate(clusters(100, 40, 0)).allocatedBytes();

        assertThat(tls - plain).isEqualTo(40 * EnvoyMemoryModel.TLS_CONTEXT_BYTES);
    }

    @Test
    void istioStats_costLessPerClusterThanEnvoyDefaults() {
        ConfigCounts counts = clusters(500, 0, 500);
        long istio = new EnvoyMemoryModel(2, StatsProfile.ISTIO_DEFAULT).estimate(counts).allocatedBytes();
        long envoy = new EnvoyMemoryModel(2, StatsProfile.ENVOY_DEFAULT).estimate(counts).allocatedBytes();

        assertThat(envoy - istio).isEqualTo(500 * (EnvoyMemoryModel.CLUSTER_BYTES_ENVOY_STATS
                - EnvoyMemoryModel.CLUSTER_BYTES_ISTIO_STATS));
    }

    @Test
    void listenerDominatedConfig_getsTheFactorTwoBand() {
        ConfigCounts counts = new ConfigCounts(3, 0, 0, 40, 10, 200, 100, 100);
        MemoryEstimate estimate = EnvoyMemoryModel.istioSidecar(2).estimate(counts);

        assertThat(estimate.uncertainty()).isEqualTo(Uncertainty.LISTENER_ROUTE_HEAVY);
        assertThat(estimate.allocatedLow()).isEqualTo(Math.round(estimate.allocatedBytes() * 0.5));
        assertThat(estimate.allocatedHigh()).isEqualTo(estimate.allocatedBytes() * 2);
        assertThat(estimate.describe()).contains("×/÷2");
    }

    @Test
    void smallHeap_rssIsTwoToTwoPointSevenTimesAllocated() {
        MemoryEstimate estimate = EnvoyMemoryModel.istioSidecar(2).estimate(clusters(100, 0, 100));

        assertThat(estimate.allocatedBytes()).isLessThan(EnvoyMemoryModel.SMALL_HEAP_BYTES);
        assertThat(estimate.rssLowBytes()).isEqualTo(Math.round(estimate.allocatedBytes() * 2.0));
        assertThat(estimate.rssHighBytes()).isEqualTo(Math.round(estimate.allocatedBytes() * 2.7));
    }

    @Test
    void hugeHeap_rssIsAbout1_15TimesAllocated() {
        MemoryEstimate estimate = EnvoyMemoryModel.istioSidecar(2).estimate(clusters(50_000, 0, 50_000));

        assertThat(estimate.allocatedBytes()).isGreaterThanOrEqualTo(EnvoyMemoryModel.HUGE_HEAP_BYTES);
        assertThat(estimate.rssLowBytes()).isEqualTo(Math.round(estimate.allocatedBytes() * 1.15));
        assertThat(estimate.rssHighBytes()).isLessThan(Math.round(estimate.allocatedBytes() * 2.0));
    }

    @Test
    void describe_printsMegabytesBandAndRss() {
        MemoryEstimate estimate = EnvoyMemoryModel.istioSidecar(2).estimate(clusters(100, 0, 0));

        assertThat(estimate.describe()).matches("\\d+\\.\\d MB ±30% \\(RSS \\d+\\.\\d-\\d+\\.\\d MB\\)");
    }

    @Test
    void zeroWorkers_isRejected() {
        assertThatThrownBy(() -> EnvoyMemoryModel.istioSidecar(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
    }

    @Test
    void moreTlsClustersThanClusters_isRejected() {
        assertThatThrownBy(() -> clusters(1, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
