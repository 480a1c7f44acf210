package dev.meshpilot.insight.evidence.prometheus;

import dev.meshpilot.core.ledger.DependencyLedger;

import java.util.List;
import java.util.Objects;

/**
 * What one read of Prometheus gave: the ledger, how many series were read and how many of them were skipped
 * (no usable source or destination), and warnings for the user (skipped series, Prometheus's own warnings).
 */
public record PrometheusReading(DependencyLedger ledger, int seriesRead, int seriesSkipped, List<String> warnings) {

    public PrometheusReading {
        Objects.requireNonNull(ledger, "ledger");
        warnings = List.copyOf(warnings);
    }
}
