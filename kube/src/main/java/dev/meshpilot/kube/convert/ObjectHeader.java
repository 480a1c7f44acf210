package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.ObjectMeta;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The type and metadata of one Kubernetes object: apiVersion, kind and {@link ObjectMeta}. */
record ObjectHeader(String apiVersion, String kind, ObjectMeta meta) {

    /** The API group ({@code ""} for the core group). */
    String group() {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    ObjectRef ref() {
        return new ObjectRef(kind, meta.namespace(), meta.name());
    }

    /** Reads type and metadata; a cluster-scoped kind gets no namespace, others the default when they name none. */
    static ObjectHeader read(Field root, boolean clusterScoped, String defaultNamespace) {
        String apiVersion = root.get("apiVersion").string();
        String kind = root.get("kind").string();
        Field metadata = root.get("metadata").requiredObject();
        String name = metadata.get("name").string();
        String namespace = clusterScoped ? "" : metadata.get("namespace").optString()
                .filter(s -> !s.isEmpty()).orElse(defaultNamespace);
        if (!clusterScoped && !Names.isDns1123Label(namespace)) {
            throw metadata.get("namespace").error("\"" + namespace + "\" is not a valid namespace name (DNS-1123 label)");
        }
        Field created = metadata.get("creationTimestamp");
        Instant creation = Instant.EPOCH;
        if (created.isPresent()) {
            String text = created.optString().orElseThrow();
            try {
                creation = Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw created.error("\"" + text + "\" is not an RFC 3339 time such as 2024-01-31T12:00:00Z");
            }
        }
        ObjectMeta meta = new ObjectMeta(namespace, name, creation, metadata.get("labels").stringMap(),
                metadata.get("annotations").stringMap());
        return new ObjectHeader(apiVersion, kind, meta);
    }
}
