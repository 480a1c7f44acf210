package dev.meshpilot.server.learn;

import dev.meshpilot.core.ledger.EvidenceReader;
import dev.meshpilot.core.ledger.LedgerStore;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the server learns dependencies.
 *
 * @param store                where the ledger is loaded from and saved to; empty: the ledger lives in memory only
 *                             and is lost on restart
 * @param readers              polled evidence sources (Prometheus, a traffic file)
 * @param pollInterval         how often each reader is read
 * @param flushInterval        how often the access-log service hands its coalesced entries to the ledger
 * @param persistInterval      how often the ledger is saved to the store (it is also saved on shutdown)
 * @param bufferCapacity       distinct (workload, destination, protocol) keys the access-log buffer holds between
 *                             flushes; entries for further keys are dropped ({@code buffer_full})
 * @param maxEntriesPerMessage access-log entries read from one message; the rest are dropped ({@code entry_limit})
 * @param replicaId            names this replica's access-log reporter ({@code access-log REPLICA}); counts are
 *                             kept per reporter, so it must be stable across restarts of one replica
 */
public record LearningOptions(Optional<LedgerStore> store, List<EvidenceReader> readers, Duration pollInterval,
                              Duration flushInterval, Duration persistInterval, int bufferCapacity,
                              int maxEntriesPerMessage, String replicaId) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(1);
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_PERSIST_INTERVAL = Duration.ofMinutes(1);
    public static final int DEFAULT_BUFFER_CAPACITY = 10_000;
    public static final int DEFAULT_MAX_ENTRIES_PER_MESSAGE = 1_000;

    public LearningOptions {
        Objects.requireNonNull(store, "store");
        readers = List.copyOf(readers);
        positive("pollInterval", pollInterval);
        positive("flushInterval", flushInterval);
        positive("persistInterval", persistInterval);
        if (bufferCapacity < 1 || maxEntriesPerMessage < 1) {
            throw new IllegalArgumentException("bufferCapacity and maxEntriesPerMessage must be at least 1");
        }
        Objects.requireNonNull(replicaId, "replicaId");
        if (replicaId.isBlank()) {
            throw new IllegalArgumentException("replicaId must not be blank");
        }
    }

    /** No store, no readers, default intervals and bounds; the replica named after {@code HOSTNAME}. */
    public static LearningOptions inMemory() {
        return new LearningOptions(Optional.empty(), List.of(), DEFAULT_POLL_INTERVAL, DEFAULT_FLUSH_INTERVAL,
                DEFAULT_PERSIST_INTERVAL, DEFAULT_BUFFER_CAPACITY, DEFAULT_MAX_ENTRIES_PER_MESSAGE, defaultReplicaId());
    }

    public LearningOptions withStore(LedgerStore ledgerStore) {
        return new LearningOptions(Optional.of(ledgerStore), readers, pollInterval, flushInterval, persistInterval,
                bufferCapacity, maxEntriesPerMessage, replicaId);
    }

    public LearningOptions withReaders(List<EvidenceReader> evidenceReaders, Duration poll) {
        return new LearningOptions(store, evidenceReaders, poll, flushInterval, persistInterval, bufferCapacity,
                maxEntriesPerMessage, replicaId);
    }

    public LearningOptions withIntervals(Duration flush, Duration persist) {
        return new LearningOptions(store, readers, pollInterval, flush, persist, bufferCapacity, maxEntriesPerMessage,
                replicaId);
    }

    public LearningOptions withBounds(int capacity, int entriesPerMessage) {
        return new LearningOptions(store, readers, pollInterval, flushInterval, persistInterval, capacity,
                entriesPerMessage, replicaId);
    }

    public LearningOptions withReplicaId(String id) {
        return new LearningOptions(store, readers, pollInterval, flushInterval, persistInterval, bufferCapacity,
                maxEntriesPerMessage, id);
    }

    /** The access-log reporter of this replica, as stored in the ledger's per-reporter counts. */
    public String accessLogReporter() {
        return "access-log " + replicaId;
    }

    /** {@code HOSTNAME} (a pod's name in Kubernetes), else {@code meshpilot}. */
    public static String defaultReplicaId() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "meshpilot" : host;
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
