package dev.meshpilot.insight.evidence.prometheus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class RealPrometheusTest {

    @Test
    void missingBinary_failsNamingCiRunAndTheOptionalSwitch_ratherThanSkipping() {
        assumeThat(Boolean.getBoolean(RealPrometheus.OPTIONAL_PROPERTY)).as("only when Prometheus is required").isFalse();

        assertThatThrownBy(() -> RealPrometheus.binary("no-such-promtool"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no-such-promtool is not installed")
                .hasMessageContaining(".ci/run installs Debian's prometheus package")
                .hasMessageContaining("-Dmeshpilot.prometheus.optional=true");
    }
}
