package dev.meshpilot.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The part of a Kubernetes object's metadata the mesh model keeps. {@code creationTimestamp} breaks ties
 * the way Istio does (oldest first); objects without one sort as the epoch.
 */
public record ObjectMeta(String namespace, String name, Instant creationTimestamp,
                         Map<String, String> labels, Map<String, String> annotations) {

    public ObjectMeta {
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
        creationTimestamp = creationTimestamp == null ? Instant.EPOCH : creationTimestamp;
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
    }

    public static ObjectMeta of(String namespace, String name) {
        return new ObjectMeta(namespace, name, Instant.EPOCH, Map.of(), Map.of());
    }

    public ObjectMeta withLabels(Map<String, String> newLabels) {
        return new ObjectMeta(namespace, name, creationTimestamp, newLabels, annotations);
    }

    public ObjectMeta withCreationTimestamp(Instant created) {
        return new ObjectMeta(namespace, name, created, labels, annotations);
    }

    public ObjectMeta withAnnotations(Map<String, String> newAnnotations) {
        return new ObjectMeta(namespace, name, creationTimestamp, labels, newAnnotations);
    }
}
