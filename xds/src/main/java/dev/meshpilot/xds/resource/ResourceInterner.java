package dev.meshpilot.xds.resource;

import dev.meshpilot.xds.naming.XdsType;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One instance per equal resource: scopes that differ as a whole (another namespace, one service more) still hold
 * mostly byte-identical clusters, listeners and routes, and keeping one of each instead of one per scope is what
 * keeps the server's memory near the bytes it serves. Resources are equal when type, name and bytes are
 * ({@link XdsResource#equals}); an equal resource made by another generator (its origin differs, e.g. a proxyless
 * client's assignment of a sidecar's cluster) is returned as given, so debug output keeps its origin.
 *
 * <p>The interner holds its resources weakly: a resource stays known while some mesh state, scope or proxy holds
 * it, and is forgotten once none does, so scopes that come and go (a proxy of an invented namespace) leave nothing
 * behind. One interner serves a server's successive mesh states, so an unchanged resource keeps its identity
 * across pushes. Thread-safe.
 */
public final class ResourceInterner {

    private static final ResourceInterner NONE = new ResourceInterner(null);

    /** Equal resource → the instance handed out; weak keys and values, so holding nothing keeps nothing. */
    private final Map<XdsResource, WeakReference<XdsResource>> known;

    private ResourceInterner(Map<XdsResource, WeakReference<XdsResource>> known) {
        this.known = known;
    }

    public static ResourceInterner create() {
        return new ResourceInterner(new WeakHashMap<>());
    }

    /** An interner that keeps nothing: every resource is returned as given. */
    public static ResourceInterner none() {
        return NONE;
    }

    /** The one instance equal to {@code resource} and of its origin: an earlier one still held, else this one. */
    public XdsResource intern(XdsResource resource) {
        if (known == null) {
            return resource;
        }
        synchronized (known) {
            WeakReference<XdsResource> ref = known.get(resource);
            XdsResource held = ref == null ? null : ref.get();
            if (held != null) {
                return held.origin().equals(resource.origin()) ? held : resource;
            }
            known.put(resource, new WeakReference<>(resource));
            return resource;
        }
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

    /** How many distinct resources are known now (those no longer held may still be counted until collected). */
    public int size() {
        if (known == null) {
            return 0;
        }
        synchronized (known) {
            return known.size();
        }
    }
}
