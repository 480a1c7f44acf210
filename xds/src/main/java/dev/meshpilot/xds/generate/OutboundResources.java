package dev.meshpilot.xds.generate;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.ScopeKey;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ConsistencyCheck;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.ResourceSet;
import dev.meshpilot.xds.resource.XdsResource;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The part of a proxy's resources that depends only on (mesh snapshot, scope, proxy kind): outbound clusters,
 * their endpoints, outbound listeners and route configurations. Immutable; one instance can be cached per
 * {@link ScopeKey} and kind and shared by every proxy holding that scope. Obtain it from
 * {@link ProxyConfigGenerator#outbound}.
 */
public final class OutboundResources {

    private final ProxyKind kind;
    private final ProxyScope scope;
    private final long snapshotVersion;
    private final Map<XdsType, List<XdsResource>> resources;
    /** The same resources as name-ordered sets, built once here and shared by every proxy of the scope. */
    private final Map<XdsType, ResourceSet> sets;
    /** The scope's outbound clusters as specs, from which these resources were made; kept for refreshes. */
    private final List<ServiceClusters.OutboundCluster> clusterSpecs;

    /**
     * @throws dev.meshpilot.xds.resource.InconsistentResourcesException when a reference among these resources
     *         dangles (a bug); checked once here so that each proxy only needs its own resources checked
     */
    OutboundResources(ProxyKind kind, ProxyScope scope, long snapshotVersion, Map<XdsType, List<XdsResource>> resources,
                      List<ServiceClusters.OutboundCluster> clusterSpecs) {
        this(kind, scope, snapshotVersion, resources, null, null, clusterSpecs);
    }

    /**
     * {@code toCheck}: the resources whose references may have changed, null for all of them; {@code base}: an
     * earlier part whose sets are reused for the types whose lists are the very same, or null.
     */
    private OutboundResources(ProxyKind kind, ProxyScope scope, long snapshotVersion,
                              Map<XdsType, List<XdsResource>> resources, List<XdsResource> toCheck,
                              OutboundResources base, List<ServiceClusters.OutboundCluster> clusterSpecs) {
        this.clusterSpecs = List.copyOf(clusterSpecs);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.snapshotVersion = snapshotVersion;
        EnumMap<XdsType, List<XdsResource>> copy = new EnumMap<>(XdsType.class);
        for (XdsType type : XdsType.values()) {
            copy.put(type, List.copyOf(resources.getOrDefault(type, List.of())));
        }
        this.resources = Collections.unmodifiableMap(copy);
        EnumMap<XdsType, ResourceSet> byType = new EnumMap<>(XdsType.class);
        copy.forEach((type, list) -> byType.put(type, base != null && base.resources.get(type) == list
                ? base.sets.get(type) : ResourceSet.of(type, list)));
        this.sets = Collections.unmodifiableMap(byType);
        ProxyResources whole = ProxyResources.of(kind, byType);
        if (toCheck == null) {
            ConsistencyCheck.requireConsistent(whole, "scope " + scope.key());
        } else {
            ConsistencyCheck.requireConsistent(whole, toCheck, "scope " + scope.key());
        }
    }

    public ProxyKind kind() {
        return kind;
    }

    /** The scope these resources were generated for. */
    public ProxyScope scope() {
        return scope;
    }

    public ScopeKey scopeKey() {
        return scope.key();
    }

    /** Version of the mesh snapshot these resources were generated from. */
    public long snapshotVersion() {
        return snapshotVersion;
    }

    /** The outbound resources of one type, in generation order (the final set is name-ordered). */
    public List<XdsResource> get(XdsType type) {
        return resources.get(type);
    }

    /** The outbound resources of one type as a name-ordered set (shared; build a proxy's set with {@code plus}). */
    public ResourceSet set(XdsType type) {
        return sets.get(type);
    }

    /** The outbound cluster specs of the scope (a function of the scope alone, so kept across refreshes). */
    List<ServiceClusters.OutboundCluster> clusterSpecs() {
        return clusterSpecs;
    }

    Map<XdsType, List<XdsResource>> all() {
        return resources;
    }

    /** A copy with other endpoints and clusters (refresh after an endpoint change). */
    OutboundResources withEndpoints(long newSnapshotVersion, List<XdsResource> clusters, List<XdsResource> endpoints) {
        EnumMap<XdsType, List<XdsResource>> copy = new EnumMap<>(resources);
        copy.put(XdsType.CLUSTER, clusters);
        copy.put(XdsType.ENDPOINT, endpoints);
        // Listeners and routes are kept and the cluster names are the same, so only the clusters' need of
        // assignments can have changed, and not even that when the assignments' names are the same as before.
        boolean sameNames = clusters == resources.get(XdsType.CLUSTER)
                && sameNames(endpoints, resources.get(XdsType.ENDPOINT));
        return new OutboundResources(kind, scope, newSnapshotVersion, copy, sameNames ? List.of() : clusters, this,
                clusterSpecs);
    }

    private static boolean sameNames(List<XdsResource> a, List<XdsResource> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).name().equals(b.get(i).name())) {
                return false;
            }
        }
        return true;
    }
}
