package dev.meshpilot.insight.footprint;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.insight.model.ConfigCounts;
import dev.meshpilot.insight.model.EnvoyMemoryModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeshTotalsTest {

    private static final EnvoyMemoryModel MODEL = EnvoyMemoryModel.istioSidecar(2);

    private static ProxyFootprint footprint(int clusters, long bytes) {
        ConfigCounts counts = new ConfigCounts(clusters, 0, clusters, 1, 1, 0, clusters, clusters);
        return new ProxyFootprint("p.ns", "ns", ProxyKind.SIDECAR, "default-sidecar", counts,
                new XdsBytes(bytes, 0, 0, 0), Optional.of(MODEL.estimate(counts)));
    }

    private static WorkloadRef ref(String name, int replicas) {
        return new WorkloadRef("Deployment", "ns", name, replicas, name + "-0.ns");
    }

    @Test
    void totals_sumEachFootprintTimesItsReplicas() {
        ProxyFootprint a = footprint(10, 1_000);
        ProxyFootprint b = footprint(100, 5_000);

        MeshTotals t = MeshTotals.of(List.of(ref("a", 3), ref("b", 2)), List.of(a, b));

        assertThat(t.workloads()).isEqualTo(2);
        assertThat(t.proxies()).isEqualTo(5);
        assertThat(t.clusters()).isEqualTo(3 * 10 + 2 * 100);
        assertThat(t.endpoints()).isEqualTo(3 * 10 + 2 * 100);
        assertThat(t.listeners()).isEqualTo(5 * 2);
        assertThat(t.bytes().total()).isEqualTo(3 * 1_000 + 2 * 5_000);
        assertThat(t.allocatedBytes()).isEqualTo(3 * a.allocatedBytes() + 2 * b.allocatedBytes());
        assertThat(t.allocatedLow()).isLessThan(t.allocatedBytes());
        assertThat(t.allocatedHigh()).isGreaterThan(t.allocatedBytes());
        assertThat(t.rssLowBytes()).isGreaterThan(t.allocatedBytes());
    }

    @Test
    void median_weighsEachWorkloadByItsReplicas() {
        // 3 proxies with 10 clusters, 2 with 100: the median proxy has 10.
        MeshTotals t = MeshTotals.of(List.of(ref("a", 3), ref("b", 2)), List.of(footprint(10, 1), footprint(100, 1)));

        assertThat(t.medianClusters()).isEqualTo(10);
    }

    @Test
    void median_ofAnEvenCount_isTheLowerMiddle() {
        MeshTotals t = MeshTotals.of(List.of(ref("a", 1), ref("b", 1)), List.of(footprint(10, 1), footprint(100, 1)));

        assertThat(t.medianClusters()).isEqualTo(10);
    }

    @Test
    void zeroReplicas_countForNothing() {
        MeshTotals t = MeshTotals.of(List.of(ref("a", 0), ref("b", 1)), List.of(footprint(10, 1), footprint(100, 7)));

        assertThat(t.proxies()).isEqualTo(1);
        assertThat(t.clusters()).isEqualTo(100);
        assertThat(t.medianClusters()).isEqualTo(100);
    }

    @Test
    void noProxies_giveZeroMedians() {
        MeshTotals t = MeshTotals.of(List.of(), List.of());

        assertThat(t.medianAllocatedBytes()).isZero();
        assertThat(t.proxies()).isZero();
    }

    @Test
    void mismatchedLists_areRejected() {
        assertThatThrownBy(() -> MeshTotals.of(List.of(ref("a", 1)), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
