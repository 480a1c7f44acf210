package dev.meshpilot.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * A Deployment or StatefulSet: the unit the footprint report shows one row for (its replicas share a scope).
 *
 * @param selector the workload's pod selector ({@code spec.selector}); Pods it matches are this workload's pods
 */
public record WorkloadGroup(String kind, ObjectMeta meta, int replicas, Map<String, String> templateLabels,
                            String serviceAccount, LabelSelector selector) {
    public WorkloadGroup {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(meta, "meta");
        templateLabels = Map.copyOf(templateLabels == null ? Map.of() : templateLabels);
        serviceAccount = serviceAccount == null ? "" : serviceAccount;
        selector = selector == null ? new LabelSelector(templateLabels, null) : selector;
    }

    /** A workload whose selector is its template labels. */
    public WorkloadGroup(String kind, ObjectMeta meta, int replicas, Map<String, String> templateLabels,
                         String serviceAccount) {
        this(kind, meta, replicas, templateLabels, serviceAccount, null);
    }

    public String name() {
        return meta.name();
    }

    public String namespace() {
        return meta.namespace();
    }
}
