package dev.meshpilot.xds.resource;

import dev.meshpilot.xds.naming.XdsType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * All resources of one type for one proxy, ordered by name, with a set-level version: the hash of every
 * (name, content hash) pair. Two sets with equal versions hold byte-identical resources.
 */
public final class ResourceSet {

    private final XdsType type;
    private final List<XdsResource> resources;
    private final Map<String, XdsResource> byName;
    private final String version;
    private final long totalBytes;

    private ResourceSet(XdsType type, List<XdsResource> sorted) {
        this.type = type;
        this.resources = List.copyOf(sorted);
        Map<String, XdsResource> index = new LinkedHashMap<>();
        ContentHash setHash = new ContentHash().add(type.typeUrl());
        long bytes = 0;
        for (XdsResource resource : resources) {
            index.put(resource.name(), resource);
            setHash.add(resource.name()).add(resource.hash());
            bytes += resource.serializedSize();
        }
        this.byName = Collections.unmodifiableMap(index);
        this.version = setHash.finish();
        this.totalBytes = bytes;
    }

    /**
     * A set of the given resources, sorted by name.
     *
     * @throws IllegalArgumentException when a resource has another type or two resources share a name
     */
    public static ResourceSet of(XdsType type, Collection<XdsResource> resources) {
        Objects.requireNonNull(type, "type");
        List<XdsResource> sorted = new ArrayList<>(resources);
        sorted.sort(Comparator.comparing(XdsResource::name));
        for (int i = 0; i < sorted.size(); i++) {
            XdsResource r = sorted.get(i);
            if (r.type() != type) {
                throw new IllegalArgumentException("resource " + r.name() + " is " + r.type() + ", not " + type);
            }
            if (i > 0 && sorted.get(i - 1).name().equals(r.name())) {
                throw new IllegalArgumentException("two " + type.plural() + " named " + r.name());
            }
        }
        return new ResourceSet(type, sorted);
    }

    public static ResourceSet empty(XdsType type) {
        return of(type, List.of());
    }

    public XdsType type() {
        return type;
    }

    /** The resources in name order. */
    public List<XdsResource> resources() {
        return resources;
    }

    public Set<String> names() {
        return byName.keySet();
    }

    public Optional<XdsResource> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public int size() {
        return resources.size();
    }

    public boolean isEmpty() {
        return resources.isEmpty();
    }

    /** Sum of the serialized sizes of the resources. */
    public long totalBytes() {
        return totalBytes;
    }

    /** 16 hex digits identifying the exact content of the set; usable as an xDS version_info. */
    public String version() {
        return version;
    }

    /** The resources with these names that exist in the set, in name order (a subscription's view). */
    public List<XdsResource> select(Collection<String> names) {
        List<XdsResource> out = new ArrayList<>();
        for (XdsResource r : resources) {
            if (names.contains(r.name())) {
                out.add(r);
            }
        }
        return out;
    }

    /** This set plus other resources of the same type; names must not collide. */
    public ResourceSet plus(Collection<XdsResource> more) {
        List<XdsResource> all = new ArrayList<>(resources);
        all.addAll(more);
        return of(type, all);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceSet other && type == other.type && version.equals(other.version)
                && resources.equals(other.resources);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, version);
    }

    @Override
    public String toString() {
        return type.discoveryService() + "[" + resources.size() + " resources, " + totalBytes + " bytes, v" + version + "]";
    }
}
