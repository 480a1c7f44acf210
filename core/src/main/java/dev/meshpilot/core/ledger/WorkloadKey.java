package dev.meshpilot.core.ledger;

import java.util.Comparator;
import java.util.Objects;

/**
 * A workload as Istio names it in {@code source_workload} / {@code source_workload_namespace}: the owning
 * Deployment, StatefulSet, CronJob, … (see {@link WorkloadNames}), or the pod's own name when nothing owns it.
 */
public record WorkloadKey(String namespace, String name) implements Comparable<WorkloadKey> {

    private static final Comparator<WorkloadKey> ORDER =
            Comparator.comparing(WorkloadKey::namespace).thenComparing(WorkloadKey::name);

    public WorkloadKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (namespace.isBlank() || name.isBlank()) {
            throw new IllegalArgumentException("a workload needs a namespace and a name, got '" + namespace + "/"
                    + name + "'");
        }
    }

    @Override
    public int compareTo(WorkloadKey other) {
        return ORDER.compare(this, other);
    }

    /** {@code NAMESPACE/NAME}. */
    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
