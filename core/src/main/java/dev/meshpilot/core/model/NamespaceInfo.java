package dev.meshpilot.core.model;

import java.util.Map;
import java.util.Objects;

/** A Kubernetes Namespace: its labels feed discovery selectors; its annotations carry meshpilot's pins. */
public record NamespaceInfo(String name, Map<String, String> labels, Map<String, String> annotations) {
    public NamespaceInfo {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
    }

    /** A namespace without annotations. */
    public NamespaceInfo(String name, Map<String, String> labels) {
        this(name, labels, Map.of());
    }
}
