package dev.meshpilot.xds.generate;

import dev.meshpilot.xds.resource.ProxyResources;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
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

    private final Map<Key, Held> held;
    private final ReferenceQueue<ProxyResources> cleared = new ReferenceQueue<>();

    private ProxyResourcesMemo(Map<Key, Held> held) {
        this.held = held;
    }

    public static ProxyResourcesMemo create() {
        return new ProxyResourcesMemo(new ConcurrentHashMap<>());
    }

    /** No sharing: every call generates. */
    public static ProxyResourcesMemo none() {
        return new ProxyResourcesMemo(null);
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
