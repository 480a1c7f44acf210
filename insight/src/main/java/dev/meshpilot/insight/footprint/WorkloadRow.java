package dev.meshpilot.insight.footprint;

import dev.meshpilot.insight.whatif.TrafficEdge;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One workload of the report: its footprint now, under the proposal (if one was given), and the calls each scope
 * leaves out (only when traffic was given).
 *
 * @param outsideNow      edges from this workload whose {@code host:port} the current scope does not hold
 * @param outsideProposed the same under the proposal (zero is the target of any scope worth recommending)
 */
public record WorkloadRow(WorkloadRef workload, ProxyFootprint now, Optional<ProxyFootprint> proposed,
                          List<TrafficEdge> outsideNow, List<TrafficEdge> outsideProposed) {
    public WorkloadRow {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(now, "now");
        proposed = proposed == null ? Optional.empty() : proposed;
        outsideNow = List.copyOf(outsideNow);
        outsideProposed = List.copyOf(outsideProposed);
    }
}
