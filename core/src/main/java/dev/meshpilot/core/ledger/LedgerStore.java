package dev.meshpilot.core.ledger;

/**
 * Where the ledger lives between runs and is shared between replicas: a state directory in embedded mode, a
 * namespaced custom resource per workload with {@code --kube}. A store merges on save (it never loses what another
 * writer stored), so {@link #save} takes the caller's ledger and returns the stored one (the join of both).
 */
public interface LedgerStore {

    /**
     * The stored ledger. Pages that cannot be read are set aside and reported in {@link Loaded#problems()}; the
     * rest is returned. Throws {@link LedgerStoreException} only when the store itself cannot be reached.
     */
    Loaded load();

    /** Merges {@code ledger} into what is stored and returns the result. */
    DependencyLedger save(DependencyLedger ledger);

    /** For messages: {@code state directory /var/lib/meshpilot} or {@code WorkloadDependencies in the cluster}. */
    String describe();

    /** What a load found: the readable ledger, and one located message per page that was set aside. */
    record Loaded(DependencyLedger ledger, java.util.List<String> problems) {
        public Loaded {
            java.util.Objects.requireNonNull(ledger, "ledger");
            problems = java.util.List.copyOf(problems);
        }
    }
}
