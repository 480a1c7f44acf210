package dev.meshpilot.core.ledger;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The whole ledger: one {@link WorkloadLedger} page per calling workload. Immutable; every change returns a new
 * ledger sharing the untouched pages. Merging ledgers (two replicas', a store's and a source's) is a join, so the
 * result does not depend on order or repetition.
 */
public final class DependencyLedger {

    private static final DependencyLedger EMPTY = new DependencyLedger(new TreeMap<>());

    private final SortedMap<WorkloadKey, WorkloadLedger> pages;

    private DependencyLedger(TreeMap<WorkloadKey, WorkloadLedger> pages) {
        this.pages = Collections.unmodifiableSortedMap(pages);
    }

    public static DependencyLedger empty() {
        return EMPTY;
    }

    /** A ledger of the given pages (pages of the same workload are merged). */
    public static DependencyLedger of(Collection<WorkloadLedger> pages) {
        TreeMap<WorkloadKey, WorkloadLedger> map = new TreeMap<>();
        for (WorkloadLedger page : pages) {
            map.merge(page.workload(), page, WorkloadLedger::merge);
        }
        return new DependencyLedger(map);
    }

    /** The ledger of these observations alone. */
    public static DependencyLedger ofObservations(Collection<Observation> observations) {
        return EMPTY.plusAll(observations);
    }

    /** Every page, in workload order. */
    public Collection<WorkloadLedger> pages() {
        return pages.values();
    }

    public Optional<WorkloadLedger> page(WorkloadKey workload) {
        return Optional.ofNullable(pages.get(workload));
    }

    /** Number of calling workloads. */
    public int workloadCount() {
        return pages.size();
    }

    /** Number of (workload, destination) edges. */
    public int edgeCount() {
        int n = 0;
        for (WorkloadLedger page : pages.values()) {
            n += page.calls().size();
        }
        return n;
    }

    public boolean isEmpty() {
        return pages.isEmpty();
    }

    public DependencyLedger plus(Observation observation) {
        return plusAll(List.of(observation));
    }

    /** This ledger with a batch of observations merged in. */
    public DependencyLedger plusAll(Collection<Observation> observations) {
        if (observations.isEmpty()) {
            return this;
        }
        TreeMap<WorkloadKey, WorkloadLedger> map = new TreeMap<>(pages);
        for (Observation o : observations) {
            map.put(o.caller(), map.getOrDefault(o.caller(), WorkloadLedger.empty(o.caller())).plus(o));
        }
        return new DependencyLedger(map);
    }

    /** This ledger noting that {@code source} reported for each of {@code workloads} at {@code at}. */
    public DependencyLedger reportedBy(Collection<WorkloadKey> workloads, EvidenceSource source, Instant at) {
        if (workloads.isEmpty()) {
            return this;
        }
        TreeMap<WorkloadKey, WorkloadLedger> map = new TreeMap<>(pages);
        for (WorkloadKey w : workloads) {
            map.put(w, map.getOrDefault(w, WorkloadLedger.empty(w)).reportedBy(source, at));
        }
        return new DependencyLedger(map);
    }

    /** The join of two ledgers. */
    public DependencyLedger merge(DependencyLedger other) {
        if (other.pages.isEmpty()) {
            return this;
        }
        if (pages.isEmpty()) {
            return other;
        }
        TreeMap<WorkloadKey, WorkloadLedger> map = new TreeMap<>(pages);
        other.pages.forEach((w, page) -> map.merge(w, page, WorkloadLedger::merge));
        return new DependencyLedger(map);
    }

    /** This ledger with one page replaced (or added). */
    public DependencyLedger withPage(WorkloadLedger page) {
        TreeMap<WorkloadKey, WorkloadLedger> map = new TreeMap<>(pages);
        map.put(page.workload(), page);
        return new DependencyLedger(map);
    }

    /** Pages as a map, for stores and renderers. */
    public Map<WorkloadKey, WorkloadLedger> asMap() {
        return pages;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DependencyLedger other && pages.equals(other.pages);
    }

    @Override
    public int hashCode() {
        return pages.hashCode();
    }

    @Override
    public String toString() {
        return "DependencyLedger[" + pages.size() + " workloads, " + edgeCount() + " edges]";
    }
}
