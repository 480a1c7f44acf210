package dev.meshpilot.insight.footprint;

import java.util.Objects;

/**
 * One row of the report: a Deployment or StatefulSet (its replicas share one scope), a bare Pod, or a connected
 * proxy (live view).
 *
 * @param kind           {@code Deployment}, {@code StatefulSet}, {@code Pod} or {@code Proxy}
 * @param representative {@code POD.NS} of the pod whose configuration was generated for the row
 */
public record WorkloadRef(String kind, String namespace, String name, int replicas, String representative) {
    public WorkloadRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        representative = representative == null ? "" : representative;
    }

    /** {@code NAMESPACE/NAME}. */
    public String id() {
        return namespace + "/" + name;
    }
}
