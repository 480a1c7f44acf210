package dev.meshpilot.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * A Deployment or StatefulSet: the unit the footprint report shows one row for (its replicas share a scope).
 */
public record WorkloadGroup(String kind, ObjectMeta meta, int replicas, Map<String, String> templateLabels,
                            String serviceAccount) {
    public WorkloadGroup {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(meta, "meta");
        templateLabels = Map.copyOf(templateLabels == null ? Map.of() : templateLabels);
        serviceAccount = serviceAccount == null ? "" : serviceAccount;
    }

    public String name() {
        return meta.name();
    }

    public String namespace() {
        return meta.namespace();
    }
}
