package dev.meshpilot.xds.generate;

import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Proxies' full resources shared between proxies that would get identical ones: the same outbound part (the same
 * {@link OutboundResources} instance, so the same scope, kind and mesh state) and equal {@link InboundInputs}. The
 * replicas of a workload, and workloads shaped alike, then share one {@link ProxyResources}: its inbound part is
 * generated and checked once, and what the streams serve is converted once.
 *
 * <p>Entries are held weakly: one lives as long as a proxy holds its resources, so a client inventing shapes
 * (an unknown pod's labels, its IP in a Sidecar's {@code defaultEndpoint}) leaves nothing behind once it is gone.
 * Thread-safe; two proxies racing on a new shape may both generate it, and both results are equal.
 */
public final class ProxyResourcesMemo {

    /** Inbound parts held per state; beyond this many distinct inputs they are generated without being kept. */
    private static final int MAX_INBOUND_PARTS = 100_000;

    private final Map<Key, Held> held;
    private final ReferenceQueue<ProxyResources> cleared = new ReferenceQueue<>();
    /** Inbound parts made (or carried over) in this state, by their inputs. */
    private final Map<InboundInputs, Map<XdsType, List<XdsResource>>> inbound;
    /** The previous state's inbound parts: consulted, and carried over when used (one generation, never a chain). */
    private final Map<InboundInputs, Map<XdsType, List<XdsResource>>> earlierInbound;

    private ProxyResourcesMemo(Map<Key, Held> held, Map<InboundInputs, Map<XdsType, List<XdsResource>>> inbound,
                               Map<InboundInputs, Map<XdsType, List<XdsResource>>> earlierInbound) {
        this.held = held;
        this.inbound = inbound;
        this.earlierInbound = earlierInbound;
    }

    public static ProxyResourcesMemo create() {
        return new ProxyResourcesMemo(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), Map.of());
    }

    /** No sharing: every call generates. */
    public static ProxyResourcesMemo none() {
        return new ProxyResourcesMemo(null, null, Map.of());
    }

    /**
     * The memo of the next mesh state: proxies' resources start afresh (the outbound parts are new), but the inbound
     * parts made in this state are found again when their inputs are unchanged. An endpoint change in a full mesh
     * used to regenerate every proxy's inbound listener and clusters although none of their inputs changed.
     */
    public ProxyResourcesMemo next() {
        return inbound == null ? this
                : new ProxyResourcesMemo(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), Map.copyOf(inbound));
    }

    /** The inbound part for these inputs: this state's, else the previous state's, else generated. */
    Map<XdsType, List<XdsResource>> inbound(InboundInputs inputs,
                                            java.util.function.Function<InboundInputs, Map<XdsType, List<XdsResource>>>
                                                    generate) {
        if (inbound == null) {
            return generate.apply(inputs);
        }
        Map<XdsType, List<XdsResource>> known = inbound.get(inputs);
        if (known == null) {
            known = earlierInbound.get(inputs);
            if (known == null) {
                known = generate.apply(inputs);
            }
            if (inbound.size() < MAX_INBOUND_PARTS) {
                Map<XdsType, List<XdsResource>> raced = inbound.putIfAbsent(inputs, known);
                known = raced != null ? raced : known;
            }
        }
        return known;
    }

    ProxyResources get(OutboundResources outbound, InboundInputs inbound, Supplier<ProxyResources> generate) {
        if (held == null) {
            return generate.get();
        }
        purge();
        Key key = new Key(outbound, inbound);
        Held ref = held.get(key);
        ProxyResources known = ref == null ? null : ref.get();
        if (known != null) {
            return known;
        }
        ProxyResources made = generate.get();
        Held mine = new Held(key, made, cleared);
        Held raced = held.merge(key, mine, (old, fresh) -> old.get() != null ? old : fresh);
        ProxyResources winner = raced.get();
        return winner != null ? winner : made;
    }

    /** Shapes currently held (for tests and debug counters). */
    public int size() {
        purge();
        return held == null ? 0 : held.size();
    }

    /**
     * Drops the entries whose resources no proxy holds any more (once collected), and with them the outbound parts
     * their keys refer to; the owner calls it when it forgets outbound parts.
     */
    public void purge() {
        if (held == null) {
            return;
        }
        for (var r = cleared.poll(); r != null; r = cleared.poll()) {
            Held gone = (Held) r;
            held.remove(gone.key, gone);
        }
    }

    /** The outbound part by identity (it is made once per scope, kind and mesh state), the inputs by value. */
    private static final class Key {
        private final OutboundResources outbound;
        private final InboundInputs inbound;
        private final int hash;

        Key(OutboundResources outbound, InboundInputs inbound) {
            this.outbound = outbound;
            this.inbound = inbound;
            this.hash = 31 * System.identityHashCode(outbound) + inbound.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.outbound == outbound && k.inbound.equals(inbound);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final class Held extends WeakReference<ProxyResources> {
        private final Key key;

        Held(Key key, ProxyResources value, ReferenceQueue<ProxyResources> queue) {
            super(value, queue);
            this.key = key;
        }
    }
}
