package dev.meshpilot.core.ledger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything known about one workload calling one destination: the protocols and sources that saw it, the first
 * and last time it was seen, the count per reporter, and the distinct days it was seen on (the most recent
 * {@link #MAX_SEEN_DAYS}), from which expiry tells a periodic caller (a weekly job) from an abandoned one.
 *
 * <p>{@link #merge} is a join (idempotent, commutative, associative): unions, min/max, and per-reporter maxima,
 * each truncated to a bounded size by a rule that does not depend on merge order (the largest days, the
 * smallest reporter names).
 */
public record CallEvidence(Destination destination, Set<CallProtocol> protocols, Set<EvidenceSource> sources,
                           Instant firstSeen, Instant lastSeen, SortedMap<String, Long> countsByReporter,
                           NavigableSet<Long> seenDays) {

    /** How many distinct days (UTC) of sightings are kept. */
    public static final int MAX_SEEN_DAYS = 32;
    /** How many reporters' counts are kept (replicas and sources); more are dropped by name order. */
    public static final int MAX_REPORTERS = 16;

    public CallEvidence {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        protocols = Collections.unmodifiableSet(protocols.isEmpty() ? EnumSet.noneOf(CallProtocol.class)
                : EnumSet.copyOf(protocols));
        sources = Collections.unmodifiableSet(sources.isEmpty() ? EnumSet.noneOf(EvidenceSource.class)
                : EnumSet.copyOf(sources));
        TreeMap<String, Long> counts = new TreeMap<>(countsByReporter);
        while (counts.size() > MAX_REPORTERS) {
            counts.pollLastEntry();
        }
        countsByReporter = Collections.unmodifiableSortedMap(counts);
        TreeSet<Long> days = new TreeSet<>(seenDays);
        while (days.size() > MAX_SEEN_DAYS) {
            days.pollFirst();
        }
        seenDays = Collections.unmodifiableNavigableSet(days);
    }

    /** The evidence of one observation. */
    public static CallEvidence of(Observation o) {
        TreeSet<Long> days = new TreeSet<>();
        days.add(epochDay(o.firstSeen()));
        days.add(epochDay(o.lastSeen()));
        return new CallEvidence(o.destination(), EnumSet.of(o.protocol()), EnumSet.of(o.source()), o.firstSeen(),
                o.lastSeen(), new TreeMap<>(Map.of(o.reporter(), o.count())), days);
    }

    /** The join of this evidence and another for the same destination. */
    public CallEvidence merge(CallEvidence other) {
        if (!destination.equals(other.destination)) {
            throw new IllegalArgumentException("cannot merge evidence for " + destination + " with " + other.destination);
        }
        EnumSet<CallProtocol> p = EnumSet.noneOf(CallProtocol.class);
        p.addAll(protocols);
        p.addAll(other.protocols);
        EnumSet<EvidenceSource> s = EnumSet.noneOf(EvidenceSource.class);
        s.addAll(sources);
        s.addAll(other.sources);
        TreeMap<String, Long> counts = new TreeMap<>(countsByReporter);
        other.countsByReporter.forEach((reporter, count) -> counts.merge(reporter, count, Math::max));
        TreeSet<Long> days = new TreeSet<>(seenDays);
        days.addAll(other.seenDays);
        return new CallEvidence(destination, p, s, min(firstSeen, other.firstSeen), max(lastSeen, other.lastSeen),
                counts, days);
    }

    /** Calls counted, summed over reporters (each reporter's largest cumulative count). */
    public long count() {
        long total = 0;
        for (long c : countsByReporter.values()) {
            total += c;
        }
        return total;
    }

    /** The longest gap, in days, between two consecutive days this call was seen on (0 if seen on one day). */
    public long longestGapDays() {
        long longest = 0;
        Long previous = null;
        for (long day : seenDays) {
            if (previous != null) {
                longest = Math.max(longest, day - previous);
            }
            previous = day;
        }
        return longest;
    }

    static long epochDay(Instant at) {
        return at.atZone(ZoneOffset.UTC).toLocalDate().toEpochDay();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
