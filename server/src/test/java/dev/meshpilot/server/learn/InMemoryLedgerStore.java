package dev.meshpilot.server.learn;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.LedgerStore;
import dev.meshpilot.core.ledger.LedgerStoreException;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link LedgerStore} in memory, standing for the state directory or the cluster in tests: it merges on save as
 * real stores do, outlives the servers that use it, and can be told to fail its next loads or saves.
 */
public final class InMemoryLedgerStore implements LedgerStore {
    private DependencyLedger stored = DependencyLedger.empty();
    private List<String> problems = List.of();
    private final AtomicInteger failingLoads = new AtomicInteger();
    private final AtomicInteger failingSaves = new AtomicInteger();
    private final AtomicInteger saves = new AtomicInteger();

    @Override
    public synchronized Loaded load() {
        if (failingLoads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new LedgerStoreException("store unreachable (test)");
        }
        return new Loaded(stored, problems);
    }

    @Override
    public synchronized DependencyLedger save(DependencyLedger ledger) {
        if (failingSaves.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new LedgerStoreException("store unreachable (test)");
        }
        saves.incrementAndGet();
        stored = stored.merge(ledger);
        return stored;
    }

    @Override
    public String describe() {
        return "memory (test)";
    }

    public synchronized DependencyLedger stored() {
        return stored;
    }

    /** Replaces what is stored (another writer saved), with problems the next loads report. */
    public synchronized void put(DependencyLedger ledger, List<String> loadProblems) {
        stored = ledger;
        problems = List.copyOf(loadProblems);
    }

    public void failNextLoads(int n) {
        failingLoads.set(n);
    }

    public void failNextSaves(int n) {
        failingSaves.set(n);
    }

    public int saves() {
        return saves.get();
    }
}
