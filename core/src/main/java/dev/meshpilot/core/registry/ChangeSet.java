package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.ConfigKey;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What changed between two snapshots, as config keys (Istio's {@code ConfigsUpdated}): SERVICE and ENDPOINTS
 * keys are named by hostname; the other kinds by object name. Change sets merge, so a debouncer can fold
 * several into one.
 *
 * @param fromVersion the version the changes apply to (0 for the empty mesh)
 * @param toVersion   the version that holds them
 */
public record ChangeSet(long fromVersion, long toVersion, Set<ConfigKey> keys) {

    /** The key of a MeshConfig change (there is one MeshConfig). */
    public static final ConfigKey MESH_CONFIG_KEY = ConfigKey.of(ConfigKey.Kind.MESH_CONFIG, "", "mesh");

    /** The key of a Namespace object's change (cluster-scoped: empty namespace, named by the namespace). */
    public static ConfigKey namespaceKey(String namespace) {
        return ConfigKey.of(ConfigKey.Kind.NAMESPACE, "", namespace);
    }

    /** The key of a workload (pod) change. */
    public static ConfigKey workloadKey(String namespace, String podName) {
        return ConfigKey.of(ConfigKey.Kind.WORKLOAD, namespace, podName);
    }

    /** The key of a change of the endpoints of the service with this hostname in this namespace. */
    public static ConfigKey endpointsKey(String namespace, String hostname) {
        return ConfigKey.of(ConfigKey.Kind.ENDPOINTS, namespace, hostname);
    }

    public ChangeSet {
        keys = Set.copyOf(keys);
    }

    public static ChangeSet empty(long version) {
        return new ChangeSet(version, version, Set.of());
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** True when something changed and every change is an endpoint change (only EDS needs pushing). */
    public boolean endpointsOnly() {
        return !keys.isEmpty() && keys.stream().allMatch(k -> k.kind() == ConfigKey.Kind.ENDPOINTS);
    }

    /**
     * True when the change concerns every proxy: the MeshConfig changed, or a namespace appeared, disappeared or
     * changed its labels (discovery selectors and scopes may differ everywhere).
     */
    public boolean meshWide() {
        return keys.stream().anyMatch(k -> k.kind() == ConfigKey.Kind.MESH_CONFIG || k.kind() == ConfigKey.Kind.NAMESPACE);
    }

    public boolean contains(ConfigKey key) {
        return keys.contains(key);
    }

    /** The keys of one kind, sorted. */
    public Set<ConfigKey> keysOf(ConfigKey.Kind kind) {
        return keys.stream().filter(k -> k.kind() == kind).collect(Collectors.toCollection(TreeSet::new));
    }

    /** This change set followed by a later one: from this one's start to the other's end, keys united. */
    public ChangeSet merge(ChangeSet later) {
        Set<ConfigKey> union = new TreeSet<>(keys);
        union.addAll(later.keys);
        return new ChangeSet(Math.min(fromVersion, later.fromVersion), Math.max(toVersion, later.toVersion), union);
    }

    @Override
    public String toString() {
        return "ChangeSet[" + fromVersion + "->" + toVersion + " " + new TreeSet<>(keys) + "]";
    }
}
