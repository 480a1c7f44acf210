package dev.meshpilot.insight.footprint;

import java.util.Objects;
import java.util.Set;

/**
 * One workload measured under one mesh state: its footprint and the {@code host:port} pairs its scope lets it
 * reach (used to find calls a scope would break).
 */
public record WorkloadMeasurement(WorkloadRef workload, ProxyFootprint footprint, Set<String> reachable) {
    public WorkloadMeasurement {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(footprint, "footprint");
        reachable = Set.copyOf(reachable);
    }

    public boolean reaches(String host, int port) {
        return reachable.contains(host + ":" + port);
    }
}
