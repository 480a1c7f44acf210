package dev.meshpilot.insight.generate;

import java.util.Map;
import java.util.Objects;

/**
 * How to generate a mesh: {@code copies} groups of namespaces, each workload's replicas multiplied by
 * {@code replicasFactor} (rounded, at least 1), which Sidecars to add, and annotations every workload's pod template
 * gets on top of its own (e.g. Istio's {@code inject.istio.io/templates: grpc-agent} for proxyless gRPC pods).
 */
public record GeneratorOptions(int copies, double replicasFactor, SidecarMode sidecars,
                               Map<String, String> podTemplateAnnotations) {

    public GeneratorOptions {
        if (copies < 1) {
            throw new IllegalArgumentException("copies must be at least 1, got " + copies);
        }
        if (!(replicasFactor > 0) || Double.isInfinite(replicasFactor)) {
            throw new IllegalArgumentException("replicas factor must be a positive number, got " + replicasFactor);
        }
        Objects.requireNonNull(sidecars, "sidecars");
        podTemplateAnnotations = Map.copyOf(podTemplateAnnotations);
    }

    /** Options that leave the pod templates' annotations as the topologies wrote them. */
    public GeneratorOptions(int copies, double replicasFactor, SidecarMode sidecars) {
        this(copies, replicasFactor, sidecars, Map.of());
    }

    /** The replica count a workload declaring {@code replicas} gets in the generated mesh. */
    int scaledReplicas(int replicas) {
        return Math.max(1, (int) Math.round(replicas * replicasFactor));
    }
}
