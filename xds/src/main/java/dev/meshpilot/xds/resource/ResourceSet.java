package dev.meshpilot.xds.resource;

import dev.meshpilot.xds.naming.XdsType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * All resources of one type for one proxy, ordered by name, with a set-level version identifying its exact content.
 * The version is derived from the sum (mod 2^64) of every resource's 64-bit (type, name, content) digest, so it does
 * not depend on how the set was assembled, and {@link #plus} extends a shared set by a proxy's few own resources in
 * time linear in the set without rehashing it. Two sets with equal versions hold byte-identical resources (up to a
 * 2^-64 chance of collision).
 */
public final class ResourceSet {

    private static final Comparator<XdsResource> BY_NAME = Comparator.comparing(XdsResource::name);

    private final XdsType type;
    /** Name-ordered, never modified; {@link #resources} is a read-only view of it. */
    private final XdsResource[] sorted;
    private final List<XdsResource> resources;
    private final long digestSum;
    private final String version;
    private final long totalBytes;
    /** Built on first use of {@link #names()}: most sets are only iterated and probed by name. */
    private volatile Set<String> names;

    /** {@code sorted} must be name-ordered without duplicates and owned by nobody else. */
    private ResourceSet(XdsType type, XdsResource[] sorted, long digestSum, long totalBytes) {
        this.type = type;
        this.sorted = sorted;
        this.resources = Collections.unmodifiableList(Arrays.asList(sorted));
        this.digestSum = digestSum;
        this.totalBytes = totalBytes;
        this.version = versionOf(type, sorted.length, digestSum);
    }

    private static String versionOf(XdsType type, int size, long digestSum) {
        // Finalizer of SplitMix64 over the sum, the size and the type, so neighbouring sums print far apart.
        long z = digestSum + 0x9E3779B97F4A7C15L * (size + 1L) + type.ordinal();
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return ContentHash.hex(z ^ (z >>> 31));
    }

    /**
     * A set of the given resources, sorted by name.
     *
     * @throws IllegalArgumentException when a resource has another type or two resources share a name
     */
    public static ResourceSet of(XdsType type, Collection<XdsResource> resources) {
        Objects.requireNonNull(type, "type");
        XdsResource[] sorted = resources.toArray(new XdsResource[0]);
        Arrays.sort(sorted, BY_NAME);
        long sum = 0;
        long bytes = 0;
        for (int i = 0; i < sorted.length; i++) {
            XdsResource r = sorted[i];
            requireType(type, r);
            if (i > 0 && sorted[i - 1].name().equals(r.name())) {
                throw duplicate(type, r.name());
            }
            sum += r.digest();
            bytes += r.serializedSize();
        }
        return new ResourceSet(type, sorted, sum, bytes);
    }

    private static void requireType(XdsType type, XdsResource r) {
        if (r.type() != type) {
            throw new IllegalArgumentException("resource " + r.name() + " is " + r.type() + ", not " + type);
        }
    }

    private static IllegalArgumentException duplicate(XdsType type, String name) {
        return new IllegalArgumentException("two " + type.plural() + " named " + name);
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
        Set<String> built = names;
        if (built == null) {
            Set<String> all = new LinkedHashSet<>();
            for (XdsResource r : resources) {
                all.add(r.name());
            }
            built = Collections.unmodifiableSet(all);
            names = built;
        }
        return built;
    }

    public Optional<XdsResource> get(String name) {
        int at = indexOf(name);
        return at < 0 ? Optional.empty() : Optional.of(resources.get(at));
    }

    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    private int indexOf(String name) {
        int at = insertionPoint(name);
        return at < sorted.length && sorted[at].name().equals(name) ? at : -1;
    }

    /** The index of the first resource whose name is not less than {@code name}. */
    private int insertionPoint(String name) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sorted[mid].name().compareTo(name) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
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

    /**
     * This set plus other resources of the same type; names must not collide. Costs one pass over this set (no
     * re-sorting or rehashing of it), which is how a proxy's own few resources join its scope's shared ones.
     *
     * @throws IllegalArgumentException when a resource has another type or a name is already taken
     */
    public ResourceSet plus(Collection<XdsResource> more) {
        if (more.isEmpty()) {
            return this;
        }
        XdsResource[] extra = more.toArray(new XdsResource[0]);
        Arrays.sort(extra, BY_NAME);
        XdsResource[] merged = new XdsResource[sorted.length + extra.length];
        long sum = digestSum;
        long bytes = totalBytes;
        int copied = 0; // of this set's resources
        int written = 0;
        for (int k = 0; k < extra.length; k++) {
            XdsResource r = extra[k];
            requireType(type, r);
            if (k > 0 && extra[k - 1].name().equals(r.name())) {
                throw duplicate(type, r.name());
            }
            int at = insertionPoint(r.name());
            if (at < sorted.length && sorted[at].name().equals(r.name())) {
                throw duplicate(type, r.name());
            }
            System.arraycopy(sorted, copied, merged, written, at - copied);
            written += at - copied;
            copied = at;
            merged[written++] = r;
            sum += r.digest();
            bytes += r.serializedSize();
        }
        System.arraycopy(sorted, copied, merged, written, sorted.length - copied);
        return new ResourceSet(type, merged, sum, bytes);
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
