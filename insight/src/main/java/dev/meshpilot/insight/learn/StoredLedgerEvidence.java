package dev.meshpilot.insight.learn;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.EvidenceException;
import dev.meshpilot.core.ledger.EvidenceReader;
import dev.meshpilot.core.ledger.LedgerStore;
import dev.meshpilot.core.ledger.LedgerStoreException;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A ledger store read as evidence: what {@code meshpilot serve} learned and stored (a state directory, or the
 * cluster's {@code WorkloadDependencies}). Pages the store sets aside are reported through {@code problems}, one
 * located message each; the rest is the evidence.
 */
public final class StoredLedgerEvidence implements EvidenceReader {

    private final LedgerStore store;
    private final Consumer<String> problems;

    public StoredLedgerEvidence(LedgerStore store, Consumer<String> problems) {
        this.store = Objects.requireNonNull(store, "store");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    @Override
    public DependencyLedger read(Instant now) {
        LedgerStore.Loaded loaded;
        try {
            loaded = store.load();
        } catch (LedgerStoreException e) {
            throw new EvidenceException(describe() + ": " + e.getMessage(), e);
        }
        loaded.problems().forEach(problems);
        return loaded.ledger();
    }

    @Override
    public String describe() {
        return "ledger in " + store.describe();
    }
}
