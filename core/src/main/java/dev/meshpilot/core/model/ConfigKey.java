package dev.meshpilot.core.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * Identifies one object of the mesh: a kind, a namespace and a name, as Istio's config keys do. Push
 * planning and scope dependency sets are expressed in these keys. {@code ENDPOINTS} and {@code SERVICE} keys
 * carry the service hostname as their name.
 */
public record ConfigKey(Kind kind, String namespace, String name) implements Comparable<ConfigKey> {

    /**
     * The kinds of object the mesh model knows. {@code LEARNED_SCOPE} is not an object of the registry: it names a
     * workload ({@code NAMESPACE/WORKLOAD}) whose learned scope the server changed.
     */
    public enum Kind {
        NAMESPACE, SERVICE, ENDPOINTS, WORKLOAD, SIDECAR, VIRTUAL_SERVICE, DESTINATION_RULE, MESH_CONFIG, LEARNED_SCOPE,
        PEER_AUTHENTICATION
    }

    private static final Comparator<ConfigKey> ORDER = Comparator.comparing(ConfigKey::kind)
            .thenComparing(ConfigKey::namespace).thenComparing(ConfigKey::name);

    public ConfigKey {
        Objects.requireNonNull(kind, "kind");
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
    }

    public static ConfigKey of(Kind kind, String namespace, String name) {
        return new ConfigKey(kind, namespace, name);
    }

    @Override
    public int compareTo(ConfigKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return kind + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
}
