package dev.meshpilot.server.ads;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one proxy should hold: per type URL, its resources by name in generation order. Immutable; proxies
 * with the same scope share one instance.
 */
public final class ResourceSet {
    private static final ResourceSet EMPTY = new ResourceSet(Map.of());

    private final Map<String, Map<String, VersionedResource>> byType;

    private ResourceSet(Map<String, Map<String, VersionedResource>> byType) {
        this.byType = byType;
    }

    public static ResourceSet empty() {
        return EMPTY;
    }

    /** Builds a set from per-type lists; a later resource with the same name replaces an earlier one. */
    public static ResourceSet of(Map<String, List<VersionedResource>> resourcesByType) {
        Map<String, Map<String, VersionedResource>> copy = new LinkedHashMap<>();
        resourcesByType.forEach((type, list) -> {
            Map<String, VersionedResource> byName = new LinkedHashMap<>();
            for (VersionedResource r : list) {
                byName.put(r.name(), r);
            }
            copy.put(type, Collections.unmodifiableMap(byName));
        });
        return new ResourceSet(Collections.unmodifiableMap(copy));
    }

    /**
     * Wraps per-type maps (type URL to resources by name, in generation order) that are immutable; the maps are
     * shared, not copied, so proxies holding the same resources hold one copy of them.
     */
    public static ResourceSet wrap(Map<String, Map<String, VersionedResource>> immutableByType) {
        return new ResourceSet(Collections.unmodifiableMap(immutableByType));
    }

    /** The resources of one type by name, in generation order; empty when the type has none. */
    public Map<String, VersionedResource> ofType(String typeUrl) {
        return byType.getOrDefault(typeUrl, Map.of());
    }

    public Set<String> types() {
        return byType.keySet();
    }

    /** The types whose resources differ (by name or version) between the two sets. */
    public static Set<String> changedTypes(ResourceSet before, ResourceSet after) {
        Set<String> changed = new java.util.LinkedHashSet<>();
        Set<String> all = new java.util.LinkedHashSet<>(before.types());
        all.addAll(after.types());
        for (String type : all) {
            if (!sameVersions(before.ofType(type), after.ofType(type))) {
                changed.add(type);
            }
        }
        return changed;
    }

    private static boolean sameVersions(Map<String, VersionedResource> a, Map<String, VersionedResource> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, VersionedResource> e : a.entrySet()) {
            VersionedResource other = b.get(e.getKey());
            if (other == null || !other.version().equals(e.getValue().version())) {
                return false;
            }
        }
        return true;
    }
}
