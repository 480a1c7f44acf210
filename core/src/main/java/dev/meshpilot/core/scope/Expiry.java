package dev.meshpilot.core.scope;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.WorkloadLedger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When evidence of a call expires: not seen for its forget period ({@link LearningSettings#forgetPeriod}), and a
 * source that saw it kept reporting for the workload at least that long after it last saw it. Absence of data is
 * not evidence of non-use: without such a source the call stays.
 */
final class Expiry {

    private Expiry() {
    }

    /** Why the evidence expired, or empty if it stays. */
    static Optional<String> of(CallEvidence e, WorkloadLedger page, LearningSettings settings, Instant now) {
        Duration forget = settings.forgetPeriod(e);
        Instant deadline = e.lastSeen().plus(forget);
        if (now.isBefore(deadline)) {
            return Optional.empty();
        }
        for (EvidenceSource source : e.sources()) {
            Optional<Instant> reported = page.lastReportedBy(source);
            if (reported.isPresent() && !reported.get().isBefore(deadline)) {
                return Optional.of(e.destination() + " last seen " + EvidenceSummary.day(e.lastSeen())
                        + ", forgotten after " + forget.toDays() + " days; " + source.label() + " reported until "
                        + EvidenceSummary.day(reported.get()) + " without seeing it");
            }
        }
        return Optional.empty();
    }
}
