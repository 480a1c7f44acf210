package dev.meshpilot.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * A Deployment or StatefulSet: the unit the footprint report shows one row for (its replicas share a scope).
 *
 * @param selector       the workload's pod selector ({@code spec.selector}); Pods it matches are this workload's pods
 * @param containerPorts named container ports of the pod template (name to number)
 */
public record WorkloadGroup(String kind, ObjectMeta meta, int replicas, Map<String, String> templateLabels,
                            String serviceAccount, LabelSelector selector, Map<String, Integer> containerPorts) {
    public WorkloadGroup {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(meta, "meta");
        templateLabels = Map.copyOf(templateLabels == null ? Map.of() : templateLabels);
        serviceAccount = serviceAccount == null ? "" : serviceAccount;
        selector = selector == null ? new LabelSelector(templateLabels, null) : selector;
        containerPorts = Map.copyOf(containerPorts == null ? Map.of() : containerPorts);
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
