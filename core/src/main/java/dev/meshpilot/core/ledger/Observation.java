package dev.meshpilot.core.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * One piece of evidence: {@code caller} was seen calling {@code destination} between {@code firstSeen} and
 * {@code lastSeen}, {@code count} times in all as far as {@code reporter} knows.
 *
 * <p>{@code count} is the reporter's cumulative count for this edge, not an increment: merging keeps the largest
 * count per reporter, so a reporter that states the same evidence twice does not double it. A reporter is one
 * instance of a source ({@code prometheus http://prom:9090}, {@code access-log meshpilot-0}, the path of a
 * traffic file).
 */
public record Observation(WorkloadKey caller, Destination destination, CallProtocol protocol,
                          EvidenceSource source, String reporter, Instant firstSeen, Instant lastSeen, long count) {

    public Observation {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        if (lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException("lastSeen " + lastSeen + " is before firstSeen " + firstSeen);
        }
        if (count < 1) {
            throw new IllegalArgumentException("an observation counts at least one call, got " + count);
        }
    }

    /** One call seen at one moment. */
    public static Observation at(WorkloadKey caller, Destination destination, CallProtocol protocol,
                                 EvidenceSource source, String reporter, Instant at, long count) {
        return new Observation(caller, destination, protocol, source, reporter, at, at, count);
    }
}
