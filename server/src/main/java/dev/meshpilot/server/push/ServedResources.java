package dev.meshpilot.server.push;

import dev.meshpilot.server.ads.ResourceSet;
import dev.meshpilot.server.ads.VersionedResource;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns generated {@link ProxyResources} into what streams serve: packed bodies with content-hash versions. One
 * instance belongs to one {@link MeshState}: each distinct resource set is converted once and the result shared by
 * every proxy holding an equal set (a scope's shared endpoints, or the clusters of one workload's replicas), and a
 * type whose set did not change keeps the proxy's previous conversion. Thread-safe.
 */
final class ServedResources {
    /**
     * A set is known by its type and version, as on the wire: equal versions mean byte-identical content, so sets
     * generated separately for different scopes but equal share one conversion without comparing their bytes.
     */
    private record SetKey(XdsType type, String version) {
    }

    private final Map<SetKey, Map<String, VersionedResource>> converted = new ConcurrentHashMap<>();
    /**
     * Each distinct resource packed once, however many distinct sets hold it (sets of different scopes differ as a
     * whole but share most resources; the generator interns those, and this keeps their packed form shared too).
     * Weak keys: a resource no set holds any more (a departed proxy's scope) takes its packed form with it.
     */
    private final PackedForms packed = new PackedForms();

    /** Everything the proxy is served, as streams hold it. */
    ResourceSet of(ProxyResources resources) {
        return of(resources, null, null);
    }

    /**
     * As {@link #of(ProxyResources)}, reusing {@code servedBefore}'s maps for the types whose set version is the same
     * in {@code before} (what {@code servedBefore} was made from) and {@code resources}.
     */
    ResourceSet of(ProxyResources resources, ProxyResources before, ResourceSet servedBefore) {
        Map<String, Map<String, VersionedResource>> byType = new LinkedHashMap<>();
        for (XdsType type : XdsType.PUSH_ORDER) {
            dev.meshpilot.xds.resource.ResourceSet set = resources.get(type);
            boolean unchanged = before != null && servedBefore != null
                    && before.get(type).version().equals(set.version());
            byType.put(type.typeUrl(), unchanged ? servedBefore.ofType(type.typeUrl())
                    : convertedOnce(new SetKey(type, set.version()), set));
        }
        return ResourceSet.wrap(byType);
    }

    /**
     * Drops the converted sets of {@code gone} that none of {@code remaining} holds.
     *
     * @return how many were dropped
     */
    int forget(java.util.Collection<ProxyResources> gone, java.util.Collection<ProxyResources> remaining) {
        Set<SetKey> inUse = setsOf(remaining);
        int dropped = 0;
        for (ProxyResources departed : gone) {
            for (XdsType type : XdsType.PUSH_ORDER) {
                SetKey key = new SetKey(type, departed.get(type).version());
                if (!inUse.contains(key) && converted.remove(key) != null) {
                    dropped++;
                }
            }
        }
        return dropped;
    }

    /** Converts a set ahead of any proxy (a warm start), as a proxy holding it would. */
    void warm(XdsType type, dev.meshpilot.xds.resource.ResourceSet set) {
        convertedOnce(new SetKey(type, set.version()), set);
    }

    /**
     * Drops every converted set none of {@code remaining} holds.
     *
     * @return how many were dropped
     */
    int retainOnly(java.util.Collection<ProxyResources> remaining) {
        Set<SetKey> inUse = setsOf(remaining);
        int before = converted.size();
        converted.keySet().removeIf(key -> !inUse.contains(key));
        return before - converted.size();
    }

    /** The sets these proxies hold, as conversions are known. */
    private static Set<SetKey> setsOf(java.util.Collection<ProxyResources> proxies) {
        Set<SetKey> sets = new java.util.HashSet<>();
        for (ProxyResources r : proxies) {
            for (XdsType type : XdsType.PUSH_ORDER) {
                sets.add(new SetKey(type, r.get(type).version()));
            }
        }
        return sets;
    }

    /** Converted sets held now. */
    int size() {
        return converted.size();
    }

    /**
     * The set's conversion, made outside any map lock (a conversion of a 10k-service set takes milliseconds, and
     * streams of other scopes must not wait for it); two streams racing on a new set both convert it, and the first
     * conversion stored wins.
     */
    private Map<String, VersionedResource> convertedOnce(SetKey key, dev.meshpilot.xds.resource.ResourceSet set) {
        Map<String, VersionedResource> known = converted.get(key);
        if (known != null) {
            return known;
        }
        Map<String, VersionedResource> made = convert(set);
        Map<String, VersionedResource> raced = converted.putIfAbsent(key, made);
        return raced != null ? raced : made;
    }

    private Map<String, VersionedResource> convert(dev.meshpilot.xds.resource.ResourceSet set) {
        Map<String, VersionedResource> byName = new LinkedHashMap<>();
        for (XdsResource r : set.resources()) {
            byName.put(r.name(), packed.of(r));
        }
        return Collections.unmodifiableMap(byName);
    }

    /**
     * Each distinct resource's packed form, in 16 stripes (each a weak map under its own lock) so that streams of
     * different scopes converting at once rarely wait for each other.
     */
    private static final class PackedForms {
        private static final int STRIPES = 16;
        private final List<Map<XdsResource, VersionedResource>> stripes = new java.util.ArrayList<>(STRIPES);

        PackedForms() {
            for (int i = 0; i < STRIPES; i++) {
                stripes.add(new java.util.WeakHashMap<>());
            }
        }

        VersionedResource of(XdsResource r) {
            Map<XdsResource, VersionedResource> stripe = stripes.get(Math.floorMod(r.hashCode(), STRIPES));
            synchronized (stripe) {
                return stripe.computeIfAbsent(r, x -> new VersionedResource(x.name(), x.toAny(), x.hash()));
            }
        }
    }

    /** Type URLs whose set version differs between the two (all of them when {@code before} is null). */
    static Set<String> changedTypes(ProxyResources before, ProxyResources after) {
        Set<String> changed = new TreeSet<>();
        for (XdsType type : XdsType.PUSH_ORDER) {
            if (before == null || !before.get(type).version().equals(after.get(type).version())) {
                changed.add(type.typeUrl());
            }
        }
        return changed;
    }
}
