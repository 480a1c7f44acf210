package dev.meshpilot.xds.generate;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.ScopeKey;
import dev.meshpilot.xds.naming.XdsType;
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

    OutboundResources(ProxyKind kind, ProxyScope scope, long snapshotVersion, Map<XdsType, List<XdsResource>> resources) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.snapshotVersion = snapshotVersion;
        EnumMap<XdsType, List<XdsResource>> copy = new EnumMap<>(XdsType.class);
        for (XdsType type : XdsType.values()) {
            copy.put(type, List.copyOf(resources.getOrDefault(type, List.of())));
        }
        this.resources = Collections.unmodifiableMap(copy);
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

    Map<XdsType, List<XdsResource>> all() {
        return resources;
    }

    /** A copy with other endpoints and clusters (refresh after an endpoint change). */
    OutboundResources withEndpoints(long newSnapshotVersion, List<XdsResource> clusters, List<XdsResource> endpoints) {
        EnumMap<XdsType, List<XdsResource>> copy = new EnumMap<>(resources);
        copy.put(XdsType.CLUSTER, clusters);
        copy.put(XdsType.ENDPOINT, endpoints);
        return new OutboundResources(kind, scope, newSnapshotVersion, copy);
    }
}
