package dev.meshpilot.core.ledger;

import java.time.Instant;

/**
 * A source that is read (polled) rather than pushed to: a Prometheus server, a traffic file. One read returns the
 * ledger of what the source shows as of {@code now}, including {@link DependencyLedger#reportedBy} marks for every
 * workload the source covered (the evidence of non-use expiry needs).
 */
public interface EvidenceReader {

    /** Reads the source; throws {@link EvidenceException} with one clear message when it cannot. */
    DependencyLedger read(Instant now);

    /** For messages and metrics: {@code prometheus http://127.0.0.1:9090}, {@code traffic file edges.csv}. */
    String describe();
}
