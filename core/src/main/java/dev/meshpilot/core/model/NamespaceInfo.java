package dev.meshpilot.core.model;

import java.util.Map;
import java.util.Objects;

/** A Kubernetes Namespace: its labels feed discovery selectors. */
public record NamespaceInfo(String name, Map<String, String> labels) {
    public NamespaceInfo {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }
}
