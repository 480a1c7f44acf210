package dev.meshpilot.insight.generate;

import java.util.Objects;

/**
 * How to generate a mesh: {@code copies} groups of namespaces, each workload's replicas multiplied by
 * {@code replicasFactor} (rounded, at least 1), and which Sidecars to add.
 */
public record GeneratorOptions(int copies, double replicasFactor, SidecarMode sidecars) {

    public GeneratorOptions {
        if (copies < 1) {
            throw new IllegalArgumentException("copies must be at least 1, got " + copies);
        }
        if (!(replicasFactor > 0) || Double.isInfinite(replicasFactor)) {
            throw new IllegalArgumentException("replicas factor must be a positive number, got " + replicasFactor);
        }
        Objects.requireNonNull(sidecars, "sidecars");
    }

    /** The replica count a workload declaring {@code replicas} gets in the generated mesh. */
    int scaledReplicas(int replicas) {
        return Math.max(1, (int) Math.round(replicas * replicasFactor));
    }
}
