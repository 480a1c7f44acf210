package dev.meshpilot.server.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerMetricsVersionLabelTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ServerMetrics metrics = new ServerMetrics(registry);

    @Test
    void clientDeclaredVersions_makeABoundedNumberOfSeries_andConnectAndDisconnectMatch() {
        for (int i = 0; i < 200; i++) {
            metrics.connected("1." + i + ".0", 1);
        }
        metrics.connected("1.2\n# forged", 1);
        assertThat(registry.find("pilot_xds").gauges()).hasSize(ServerMetrics.MAX_VERSIONS + 1);
        assertThat(registry.get("pilot_xds").tag("version", "other").gauge().value()).isEqualTo(200
                - ServerMetrics.MAX_VERSIONS + 1);
        for (int i = 0; i < 200; i++) {
            metrics.connected("1." + i + ".0", -1);
        }
        metrics.connected("1.2\n# forged", -1);
        assertThat(registry.find("pilot_xds").gauges()).allSatisfy(g -> assertThat(g.value()).isZero());
    }
}
