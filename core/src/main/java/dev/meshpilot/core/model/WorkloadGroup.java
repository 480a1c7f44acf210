package dev.meshpilot.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * A Deployment or StatefulSet: the unit the footprint report shows one row for (its replicas share a scope).
 *
 * @param selector            the workload's pod selector ({@code spec.selector}); Pods it matches are this workload's
 *                            pods
 * @param containerPorts      named container ports of the pod template (name to number)
 * @param templateAnnotations the pod template's annotations (what its synthesized pods carry, e.g. Istio's injection
 *                            template {@code inject.istio.io/templates})
 */
public record WorkloadGroup(String kind, ObjectMeta meta, int replicas, Map<String, String> templateLabels,
                            String serviceAccount, LabelSelector selector, Map<String, Integer> containerPorts,
                            Map<String, String> templateAnnotations) {
    public WorkloadGroup {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(meta, "meta");
        templateLabels = Map.copyOf(templateLabels == null ? Map.of() : templateLabels);
        serviceAccount = serviceAccount == null ? "" : serviceAccount;
        selector = selector == null ? new LabelSelector(templateLabels, null) : selector;
        containerPorts = Map.copyOf(containerPorts == null ? Map.of() : containerPorts);
        templateAnnotations = Map.copyOf(templateAnnotations == null ? Map.of() : templateAnnotations);
    }

    /** A workload whose pod template has no annotations. */
    public WorkloadGroup(String kind, ObjectMeta meta, int replicas, Map<String, String> templateLabels,
                         String serviceAccount, LabelSelector selector, Map<String, Integer> containerPorts) {
        this(kind, meta, replicas, templateLabels, serviceAccount, selector, containerPorts, Map.of());
    }

    /** A workload without named container ports. */
    public WorkloadGroup(String kind, ObjectMeta meta, int replicas, Map<String, String> templateLabels,
                         String serviceAccount, LabelSelector selector) {
        this(kind, meta, replicas, templateLabels, serviceAccount, selector, Map.of());
    }

    /** A workload whose selector is its template labels. */
    public WorkloadGroup(String kind, ObjectMeta meta, int replicas, Map<String, String> templateLabels,
                         String serviceAccount) {
        this(kind, meta, replicas, templateLabels, serviceAccount, null, Map.of());
    }

    public String name() {
        return meta.name();
    }

    public String namespace() {
        return meta.namespace();
    }
}
