package dev.meshpilot.server.learn;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.EvidenceReader;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.LedgerStore;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.ledger.WorkloadLedger;
import dev.meshpilot.server.metrics.LearningMetrics;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Owns the server's current {@link DependencyLedger}: an immutable value swapped atomically, so readers (the debug
 * endpoint, scope computation) never lock and never see a half-merged ledger. It is loaded from the store on
 * {@link #start()}, merged with batches pushed by the access-log service ({@link #accept}) and with what the
 * polled {@link EvidenceReader}s return, saved to the store every persist interval and on {@link #close()}.
 * The store is also read again every poll interval ({@link #refreshFromStore()}) and merged in, so a replica
 * learns what other replicas saved to a shared store while it runs, and its listeners hear of it like any other
 * evidence.
 *
 * <p>Failures stay local: a reader that fails is logged in one line and counted, and the ledger keeps what it had;
 * a save that fails keeps the in-memory ledger and is retried next period; a load that fails starts from what is
 * in memory and the next successful save merges the stored ledger back in (stores merge on save); a periodic
 * re-read that fails is logged in one line and counted, and the ledger keeps what it had.
 *
 * <p>Threads: {@link #accept} may be called from any thread; polls and saves run on the injected scheduler; saves
 * are serialized among themselves.
 */
public final class LedgerKeeper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LedgerKeeper.class.getName());
    /** The {@code source} label of the store's load and save failures. */
    public static final String STORE_SOURCE = "store";

    private final Optional<LedgerStore> store;
    private final List<EvidenceReader> readers;
    private final Duration pollInterval;
    private final Duration persistInterval;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final LearningMetrics metrics;
    private final AtomicReference<DependencyLedger> current = new AtomicReference<>(DependencyLedger.empty());
    private final List<LearnedSetListener> listeners = new CopyOnWriteArrayList<>();
    private final Object saving = new Object();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private DependencyLedger lastSaved;
    /** The problems the last store read reported, so a periodic re-read logs only new ones. */
    private List<String> lastProblems = List.of();
    private boolean closed;

    /**
     * @param scheduler runs polls and periodic saves; not owned (the caller shuts it down after {@link #close()})
     */
    public LedgerKeeper(LearningOptions options, ScheduledExecutorService scheduler, Clock clock,
                        LearningMetrics metrics) {
        this.store = options.store();
        this.readers = options.readers();
        this.pollInterval = options.pollInterval();
        this.persistInterval = options.persistInterval();
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        metrics.edges(() -> current.get().edgeCount());
    }

    /** Loads the stored ledger (synchronously) and starts polling the readers and saving periodically. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the ledger keeper is closed");
        }
        store.ifPresent(this::load);
        for (EvidenceReader reader : readers) {
            tasks.add(scheduler.scheduleWithFixedDelay(() -> poll(reader), 0, pollInterval.toNanos(),
                    TimeUnit.NANOSECONDS));
        }
        if (store.isPresent()) {
            tasks.add(scheduler.scheduleWithFixedDelay(this::refreshFromStore, pollInterval.toNanos(),
                    pollInterval.toNanos(), TimeUnit.NANOSECONDS));
            tasks.add(scheduler.scheduleWithFixedDelay(this::persist, persistInterval.toNanos(),
                    persistInterval.toNanos(), TimeUnit.NANOSECONDS));
        }
    }

    /** The current ledger. */
    public DependencyLedger ledger() {
        return current.get();
    }

    /** Where the ledger is kept, for messages and {@code serve}'s banner. */
    public String describeStore() {
        return store.map(LedgerStore::describe).orElse("memory only (lost on restart)");
    }

    public void addListener(LearnedSetListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(LearnedSetListener listener) {
        listeners.remove(listener);
    }

    /** Merges a batch of observations (e.g. one access-log flush). */
    public void accept(Collection<Observation> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<EvidenceSource, Long> bySource = new EnumMap<>(EvidenceSource.class);
        for (Observation o : batch) {
            bySource.merge(o.source(), 1L, Long::sum);
        }
        update(ledger -> ledger.plusAll(batch));
        bySource.forEach((source, n) -> metrics.observed(source.label(), n));
    }

    /**
     * Tells listeners that these workloads called registered services through a fallback path (their served scope
     * lacked the destination), so a scope that narrowed a destination away widens again at once, even though the
     * destination is not new to the ledger. Call it after the calls were merged ({@link #accept}).
     */
    public void calledThroughFallback(Set<WorkloadKey> workloads) {
        if (workloads.isEmpty()) {
            return;
        }
        DependencyLedger now = current.get();
        Set<WorkloadKey> sorted = new TreeSet<>(workloads);
        for (LearnedSetListener l : listeners) {
            l.learnedSetChanged(sorted, now);
        }
    }

    /** Merges a ledger read from a source. */
    public void acceptLedger(DependencyLedger evidence) {
        if (evidence.isEmpty()) {
            return;
        }
        Map<EvidenceSource, Long> bySource = new EnumMap<>(EvidenceSource.class);
        for (WorkloadLedger page : evidence.pages()) {
            for (CallEvidence call : page.calls().values()) {
                call.sources().forEach(s -> bySource.merge(s, 1L, Long::sum));
            }
        }
        update(ledger -> ledger.merge(evidence));
        bySource.forEach((source, n) -> metrics.observed(source.label(), n));
    }

    /** Reads one reader now; what the scheduler runs every poll interval. */
    void poll(EvidenceReader reader) {
        DependencyLedger read;
        try {
            read = reader.read(clock.instant());
        } catch (RuntimeException e) {
            metrics.sourceError(reader.describe());
            LOG.warning(() -> "learning: evidence source " + reader.describe() + " failed: " + oneLine(e)
                    + "; the ledger keeps what it had, next read in " + pollInterval);
            return;
        }
        acceptLedger(read);
    }

    /**
     * Reads the store again and merges what it holds: what other replicas saved to a shared store reaches this
     * one while it runs, and workloads that gained destinations are told to the listeners. What the scheduler runs
     * every poll interval. A failing read is one log line and {@code source_errors{source="store"}}; the ledger
     * keeps what it had.
     */
    public void refreshFromStore() {
        if (store.isEmpty()) {
            return;
        }
        LedgerStore target = store.get();
        synchronized (saving) {
            LedgerStore.Loaded loaded;
            try {
                loaded = target.load();
            } catch (RuntimeException e) {
                metrics.sourceError(STORE_SOURCE);
                LOG.warning(() -> "learning: re-reading the ledger from " + target.describe() + " failed: "
                        + oneLine(e) + "; the ledger keeps what it had, next read in " + pollInterval);
                return;
            }
            logNewProblems(target, loaded.problems());
            DependencyLedger[] base = new DependencyLedger[1];
            DependencyLedger merged = update(ledger -> {
                base[0] = ledger;
                DependencyLedger joined = ledger.merge(loaded.ledger());
                return joined.equals(ledger) ? ledger : joined;
            });
            // Stores merge on save, so when all we had was saved the join is what the store holds: nothing to save.
            if (base[0] == lastSaved) {
                lastSaved = merged;
            }
        }
    }

    /** Saves the ledger if it changed since the last save; what the scheduler runs every persist interval. */
    public void persist() {
        if (store.isEmpty()) {
            return;
        }
        LedgerStore target = store.get();
        synchronized (saving) {
            DependencyLedger snapshot = current.get();
            if (snapshot == lastSaved) {
                return;
            }
            DependencyLedger stored;
            try {
                stored = target.save(snapshot);
            } catch (RuntimeException e) {
                metrics.sourceError(STORE_SOURCE);
                LOG.warning(() -> "learning: saving the ledger to " + target.describe() + " failed: " + oneLine(e)
                        + "; kept in memory, retrying in " + persistInterval);
                return;
            }
            // Only a ledger nothing reached during the save is all stored: evidence merged in meanwhile (an
            // access-log flush) must make the next persist save again, also the one on close.
            DependencyLedger[] base = new DependencyLedger[1];
            DependencyLedger merged = update(ledger -> {
                base[0] = ledger;
                return ledger.merge(stored);
            });
            lastSaved = base[0] == snapshot ? merged : null;
        }
    }

    /** Stops polling and saving, then saves once more. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            tasks.forEach(t -> t.cancel(false));
            tasks.clear();
        }
        persist();
    }

    private void load(LedgerStore target) {
        LedgerStore.Loaded loaded;
        try {
            loaded = target.load();
        } catch (RuntimeException e) {
            metrics.sourceError(STORE_SOURCE);
            LOG.warning(() -> "learning: cannot load the ledger from " + target.describe() + ": " + oneLine(e)
                    + "; starting from memory, the stored ledger is merged back on the next successful save");
            return;
        }
        synchronized (saving) {
            logNewProblems(target, loaded.problems());
        }
        DependencyLedger merged = update(ledger -> ledger.merge(loaded.ledger()));
        synchronized (saving) {
            lastSaved = merged;
        }
        LOG.info(() -> "learning: loaded " + merged + " from " + target.describe());
    }

    /** Logs each problem of a store read once, not again on every re-read while it persists. Holds {@code saving}. */
    private void logNewProblems(LedgerStore target, List<String> problems) {
        for (String problem : problems) {
            if (!lastProblems.contains(problem)) {
                LOG.warning(() -> "learning: " + target.describe() + ": " + problem);
            }
        }
        lastProblems = List.copyOf(problems);
    }

    /** Swaps the ledger and tells listeners which workloads gained destinations; returns the new ledger. */
    private DependencyLedger update(UnaryOperator<DependencyLedger> change) {
        DependencyLedger before;
        DependencyLedger after;
        do {
            before = current.get();
            after = change.apply(before);
        } while (!current.compareAndSet(before, after));
        if (!listeners.isEmpty() && before != after) {
            Set<WorkloadKey> changed = gainedDestinations(before, after);
            if (!changed.isEmpty()) {
                for (LearnedSetListener l : listeners) {
                    l.learnedSetChanged(changed, after);
                }
            }
        }
        return after;
    }

    private static Set<WorkloadKey> gainedDestinations(DependencyLedger before, DependencyLedger after) {
        Set<WorkloadKey> changed = new TreeSet<>();
        for (WorkloadLedger page : after.pages()) {
            Optional<WorkloadLedger> old = before.page(page.workload());
            if (old.isPresent() && old.get() == page) {
                continue;
            }
            if (old.isEmpty() ? !page.calls().isEmpty() : !old.get().calls().keySet().containsAll(page.calls().keySet())) {
                changed.add(page.workload());
            }
        }
        return changed;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }
}
