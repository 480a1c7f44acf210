package dev.meshpilot.kube.convert;

import java.util.Objects;

/** Identifies a Kubernetes object across API versions: kind, namespace (empty if cluster-scoped) and name. */
public record ObjectRef(String kind, String namespace, String name) {
    public ObjectRef {
        Objects.requireNonNull(kind, "kind");
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }
}
