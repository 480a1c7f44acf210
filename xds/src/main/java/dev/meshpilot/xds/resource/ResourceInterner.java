package dev.meshpilot.xds.resource;

import dev.meshpilot.xds.naming.XdsType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance per equal resource: scopes that differ as a whole (another namespace, one service more) still hold
 * mostly byte-identical clusters, listeners and routes, and keeping one of each instead of one per scope is what
 * keeps the server's memory near the bytes it serves. Resources are interned together when type, name and bytes
 * ({@link XdsResource#equals}) and their origin are equal: the same bytes made by another generator (a proxyless
 * client's assignment of a sidecar's cluster) keep their own origin, which debug output shows.
 *
 * <p>One interner serves one mesh state; {@link #next()} starts the interner of the following state, which also
 * finds this one's resources (one generation back, never a chain), so an unchanged resource keeps its identity
 * across a push. Thread-safe.
 */
public final class ResourceInterner {

    private record Key(XdsResource resource, String origin) {
    }

    private static final ResourceInterner NONE = new ResourceInterner(null, Map.of());

    private final Map<Key, XdsResource> known;
    private final Map<Key, XdsResource> earlier;

    private ResourceInterner(Map<Key, XdsResource> known, Map<Key, XdsResource> earlier) {
        this.known = known;
        this.earlier = earlier;
    }

    public static ResourceInterner create() {
        return new ResourceInterner(new ConcurrentHashMap<>(), Map.of());
    }

    /** An interner that keeps nothing: every resource is returned as given. */
    public static ResourceInterner none() {
        return NONE;
    }

    /** The interner of the next mesh state: empty, but finding this one's resources. */
    public ResourceInterner next() {
        return known == null ? this : new ResourceInterner(new ConcurrentHashMap<>(), known);
    }

    /** The one instance equal to {@code resource}: an earlier equal one if known, else {@code resource} itself. */
    public XdsResource intern(XdsResource resource) {
        if (known == null) {
            return resource;
        }
        Key key = new Key(resource, resource.origin());
        XdsResource held = known.get(key);
        if (held != null) {
            return held;
        }
        XdsResource before = earlier.get(key);
        XdsResource chosen = before != null ? before : resource;
        held = known.putIfAbsent(key, chosen);
        return held != null ? held : chosen;
    }

    /** Every list interned, in order. */
    public Map<XdsType, List<XdsResource>> internAll(Map<XdsType, List<XdsResource>> byType) {
        if (known == null) {
            return byType;
        }
        EnumMap<XdsType, List<XdsResource>> out = new EnumMap<>(XdsType.class);
        byType.forEach((type, list) -> {
            List<XdsResource> interned = new ArrayList<>(list.size());
            for (XdsResource r : list) {
                interned.add(intern(r));
            }
            out.put(type, Collections.unmodifiableList(interned));
        });
        return out;
    }

    /** How many distinct resources this state holds so far. */
    public int size() {
        return known == null ? 0 : known.size();
    }
}
