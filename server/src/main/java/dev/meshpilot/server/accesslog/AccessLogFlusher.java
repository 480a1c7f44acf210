package dev.meshpilot.server.accesslog;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.server.learn.LedgerKeeper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hands the buffer's tallies to the ledger keeper as one batch of {@link Observation}s. An observation's count is
 * this replica's reporter's cumulative count for the edge: what the keeper's ledger already holds for that reporter
 * (loaded from the store at start, so it survives restarts) plus the calls since the last flush, summed over
 * protocols because the ledger counts per destination. Runs on one thread at a time (the scheduler's fixed-delay
 * task, or the final flush after it was cancelled), which keeps the read-then-add correct.
 */
final class AccessLogFlusher {
    private final EdgeBuffer buffer;
    private final LedgerKeeper keeper;
    private final String reporter;

    AccessLogFlusher(EdgeBuffer buffer, LedgerKeeper keeper, String reporter) {
        this.buffer = buffer;
        this.keeper = keeper;
        this.reporter = reporter;
    }

    synchronized void flush() {
        Map<EdgeKey, EdgeTally> tallies = buffer.drain();
        Set<WorkloadKey> fallbackCallers = buffer.drainFallbackCallers();
        if (tallies.isEmpty()) {
            return;
        }
        DependencyLedger ledger = keeper.ledger();
        Map<Edge, Long> totals = new HashMap<>();
        tallies.forEach((key, tally) -> totals.merge(new Edge(key.caller(), key.destination()), tally.calls(), Long::sum));
        totals.replaceAll((edge, calls) -> stored(ledger, edge) + calls);
        List<Observation> batch = new ArrayList<>(tallies.size());
        tallies.forEach((key, tally) -> batch.add(new Observation(key.caller(), key.destination(), key.protocol(),
                EvidenceSource.ACCESS_LOG, reporter, tally.firstSeen(), tally.lastSeen(),
                totals.get(new Edge(key.caller(), key.destination())))));
        keeper.accept(batch);
        // a destination the ledger knew (say, expired and narrowed away) is not "gained", yet its caller needs it
        keeper.calledThroughFallback(fallbackCallers);
    }

    private long stored(DependencyLedger ledger, Edge edge) {
        return ledger.page(edge.caller()).flatMap(page -> page.call(edge.destination()))
                .map(CallEvidence::countsByReporter).map(counts -> counts.getOrDefault(reporter, 0L)).orElse(0L);
    }

    private record Edge(WorkloadKey caller, Destination destination) {
    }
}
