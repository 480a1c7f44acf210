package dev.meshpilot.server.ads;

import java.util.Objects;
import java.util.Set;

/**
 * A push to one proxy: its new resources, the types worth looking at (others are known unchanged), why, and when
 * the push was enqueued (for convergence time).
 */
public record ConfigUpdate(ResourceSet resources, Set<String> types, String reason, long enqueuedNanos) {
    public ConfigUpdate {
        Objects.requireNonNull(resources, "resources");
        types = Set.copyOf(types);
        Objects.requireNonNull(reason, "reason");
    }
}
