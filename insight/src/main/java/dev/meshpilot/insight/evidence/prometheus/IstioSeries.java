package dev.meshpilot.insight.evidence.prometheus;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.WorkloadKey;

import java.util.List;
import java.util.Objects;

/**
 * One daily-increase series read as a call: {@code caller} calling {@code destination} with {@code protocol}, as
 * counted by the proxy on the {@code reporter} side ({@code source}, {@code destination}, {@code waypoint}).
 */
record IstioSeries(WorkloadKey caller, Destination destination, CallProtocol protocol, String reporter,
                   List<MetricSeries.Sample> samples) {

    static final String SOURCE_REPORTER = "source";

    IstioSeries {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(reporter, "reporter");
        samples = List.copyOf(samples);
    }

    boolean reportedBySource() {
        return reporter.equals(SOURCE_REPORTER);
    }
}
