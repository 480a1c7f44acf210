package dev.meshpilot.insight.learn;

import java.util.Locale;

/** How recommended Sidecars are cut: one per workload (selecting its pods) or one per namespace (no selector). */
public enum Granularity {
    WORKLOAD, NAMESPACE;

    /** {@code workload} or {@code namespace}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
