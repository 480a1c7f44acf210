package dev.meshpilot.bench.client;

import java.util.List;

/**
 * Cold start of a fleet: how many of {@code clients} converged, each one's time from the start of the connection
 * wave to its complete configuration (ns), and the first few stream failures.
 */
public record Convergence(int clients, List<Long> convergedNanos, List<String> failures) {

    public Convergence {
        convergedNanos = List.copyOf(convergedNanos);
        failures = List.copyOf(failures);
    }

    public boolean allConverged() {
        return convergedNanos.size() == clients;
    }

    /** Time until the last client converged (ns), or -1 if some never did. */
    public long allNanos() {
        return allConverged() ? convergedNanos.stream().mapToLong(Long::longValue).max().orElse(0) : -1;
    }
}
