package dev.meshpilot.server.accesslog;

import dev.meshpilot.core.ledger.WorkloadKey;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Access-log entries coalesced per {@link EdgeKey} between two flushes, holding at most {@code capacity} keys:
 * an entry for a key already held only bumps its tally, an entry for a new key beyond the capacity is refused.
 * Memory is therefore bounded by the capacity whatever the clients send. All methods are synchronized (streams add
 * concurrently, the flusher drains).
 */
final class EdgeBuffer {
    private final int capacity;
    private Map<EdgeKey, Tally> tallies = new HashMap<>();
    /** Callers seen using a fallback path since the last drain (bounded by the registry's workloads). */
    private Set<WorkloadKey> fallbackCallers = new HashSet<>();

    EdgeBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** Counts one call; false when the key is new and the buffer is full (the call is not counted). */
    synchronized boolean add(EdgeKey key, Instant at) {
        Tally tally = tallies.get(key);
        if (tally == null) {
            if (tallies.size() >= capacity) {
                return false;
            }
            tallies.put(key, new Tally(at));
            return true;
        }
        tally.add(at);
        return true;
    }

    /** Notes that this caller reached a registered service through a fallback path (its scope lacked it). */
    synchronized void fallbackCall(WorkloadKey caller) {
        fallbackCallers.add(caller);
    }

    /** The callers noted by {@link #fallbackCall} since the last call; the set is empty afterwards. */
    synchronized Set<WorkloadKey> drainFallbackCallers() {
        Set<WorkloadKey> out = fallbackCallers;
        fallbackCallers = new HashSet<>();
        return out;
    }

    /** Everything gathered since the last drain; the buffer is empty afterwards. */
    synchronized Map<EdgeKey, EdgeTally> drain() {
        Map<EdgeKey, EdgeTally> out = new HashMap<>(tallies.size() * 2);
        tallies.forEach((k, t) -> out.put(k, new EdgeTally(t.first, t.last, t.calls)));
        tallies = new HashMap<>();
        return out;
    }

    synchronized int size() {
        return tallies.size();
    }

    int capacity() {
        return capacity;
    }

    /** Mutable, owned by the buffer's lock. */
    private static final class Tally {
        private Instant first;
        private Instant last;
        private long calls;

        Tally(Instant at) {
            first = at;
            last = at;
            calls = 1;
        }

        void add(Instant at) {
            if (at.isBefore(first)) {
                first = at;
            }
            if (at.isAfter(last)) {
                last = at;
            }
            calls++;
        }
    }
}
