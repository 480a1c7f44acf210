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

    /** True if a call to {@code host} on {@code port} (0: any port, as Istio's metrics say) stays inside. */
    public boolean reaches(String host, int port) {
        if (port == 0) {
            return reachable.stream().anyMatch(t -> t.startsWith(host + ":"));
        }
        return reachable.contains(host + ":" + port);
    }
}
