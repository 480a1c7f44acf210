package dev.meshpilot.xds.resource;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.naming.XdsType;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one proxy is served: a {@link ResourceSet} per xDS type (every type present, possibly empty).
 * Immutable; produced by {@code ProxyConfigGenerator} after a consistency check.
 */
public final class ProxyResources {

    private final ProxyKind kind;
    private final Map<XdsType, ResourceSet> sets;

    private ProxyResources(ProxyKind kind, Map<XdsType, ResourceSet> sets) {
        this.kind = kind;
        this.sets = sets;
    }

    /** A resource collection holding these sets; types not given are empty. */
    public static ProxyResources of(ProxyKind kind, Map<XdsType, ResourceSet> sets) {
        Objects.requireNonNull(kind, "kind");
        EnumMap<XdsType, ResourceSet> all = new EnumMap<>(XdsType.class);
        for (XdsType type : XdsType.values()) {
            ResourceSet set = sets.getOrDefault(type, ResourceSet.empty(type));
            if (set.type() != type) {
                throw new IllegalArgumentException(set + " given as " + type);
            }
            all.put(type, set);
        }
        return new ProxyResources(kind, Collections.unmodifiableMap(all));
    }

    /** The proxy kind these resources were generated for. */
    public ProxyKind kind() {
        return kind;
    }

    public ResourceSet get(XdsType type) {
        return sets.get(type);
    }

    public ResourceSet clusters() {
        return sets.get(XdsType.CLUSTER);
    }

    public ResourceSet endpoints() {
        return sets.get(XdsType.ENDPOINT);
    }

    public ResourceSet listeners() {
        return sets.get(XdsType.LISTENER);
    }

    public ResourceSet routes() {
        return sets.get(XdsType.ROUTE);
    }

    /** The set for a type URL a client subscribed to; empty for type URLs meshpilot does not serve. */
    public Optional<ResourceSet> forTypeUrl(String typeUrl) {
        return XdsType.fromTypeUrl(typeUrl).map(sets::get);
    }

    /** All sets in push order (CDS, EDS, LDS, RDS). */
    public Map<XdsType, ResourceSet> sets() {
        return sets;
    }

    public long totalBytes() {
        return sets.values().stream().mapToLong(ResourceSet::totalBytes).sum();
    }

    public int totalCount() {
        return sets.values().stream().mapToInt(ResourceSet::size).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyResources other && kind == other.kind && sets.equals(other.sets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, sets);
    }

    @Override
    public String toString() {
        return "ProxyResources" + sets.values();
    }
}
