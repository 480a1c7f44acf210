package dev.meshpilot.core.ledger;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One workload's page of the ledger: the destinations it was seen calling, and, per source, the last time that
 * source reported for this workload at all (with or without new calls). The latter is the evidence of
 * <em>non-use</em> that expiry needs: a destination may be forgotten only if a source that saw it kept reporting
 * for the workload and stopped seeing it.
 */
public record WorkloadLedger(WorkloadKey workload, SortedMap<Destination, CallEvidence> calls,
                             Map<EvidenceSource, Instant> lastReported) {

    public WorkloadLedger {
        Objects.requireNonNull(workload, "workload");
        calls = Collections.unmodifiableSortedMap(new TreeMap<>(calls));
        EnumMap<EvidenceSource, Instant> reported = new EnumMap<>(EvidenceSource.class);
        reported.putAll(lastReported);
        lastReported = Collections.unmodifiableMap(reported);
    }

    public static WorkloadLedger empty(WorkloadKey workload) {
        return new WorkloadLedger(workload, new TreeMap<>(), Map.of());
    }

    public Optional<CallEvidence> call(Destination destination) {
        return Optional.ofNullable(calls.get(destination));
    }

    /** When {@code source} last reported for this workload, if ever. */
    public Optional<Instant> lastReportedBy(EvidenceSource source) {
        return Optional.ofNullable(lastReported.get(source));
    }

    /** This page with one more observation (which must be this workload's). */
    public WorkloadLedger plus(Observation observation) {
        if (!observation.caller().equals(workload)) {
            throw new IllegalArgumentException("observation of " + observation.caller() + " on the page of " + workload);
        }
        TreeMap<Destination, CallEvidence> merged = new TreeMap<>(calls);
        merged.merge(observation.destination(), CallEvidence.of(observation), CallEvidence::merge);
        EnumMap<EvidenceSource, Instant> reported = new EnumMap<>(EvidenceSource.class);
        reported.putAll(lastReported);
        reported.merge(observation.source(), observation.lastSeen(), WorkloadLedger::later);
        return new WorkloadLedger(workload, merged, reported);
    }

    /** This page noting that {@code source} reported for the workload at {@code at}. */
    public WorkloadLedger reportedBy(EvidenceSource source, Instant at) {
        EnumMap<EvidenceSource, Instant> reported = new EnumMap<>(EvidenceSource.class);
        reported.putAll(lastReported);
        reported.merge(source, at, WorkloadLedger::later);
        return new WorkloadLedger(workload, calls, reported);
    }

    /** The join of two pages of the same workload. */
    public WorkloadLedger merge(WorkloadLedger other) {
        if (!workload.equals(other.workload)) {
            throw new IllegalArgumentException("cannot merge the pages of " + workload + " and " + other.workload);
        }
        TreeMap<Destination, CallEvidence> merged = new TreeMap<>(calls);
        other.calls.forEach((d, e) -> merged.merge(d, e, CallEvidence::merge));
        EnumMap<EvidenceSource, Instant> reported = new EnumMap<>(EvidenceSource.class);
        reported.putAll(lastReported);
        other.lastReported.forEach((s, at) -> reported.merge(s, at, WorkloadLedger::later));
        return new WorkloadLedger(workload, merged, reported);
    }

    /** This page without the given destinations (used by stores that bound a page's size). */
    public WorkloadLedger without(java.util.Collection<Destination> dropped) {
        TreeMap<Destination, CallEvidence> kept = new TreeMap<>(calls);
        dropped.forEach(kept::remove);
        return new WorkloadLedger(workload, kept, lastReported);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
