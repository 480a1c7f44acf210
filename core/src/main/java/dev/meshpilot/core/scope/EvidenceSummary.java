package dev.meshpilot.core.scope;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.EvidenceSource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.stream.Collectors;

/** Evidence of one host said in one phrase: {@code access-log, prometheus; 1,234 calls; last seen 2026-12-01}. */
public final class EvidenceSummary {

    private EvidenceSummary() {
    }

    public static String of(Collection<CallEvidence> evidence) {
        if (evidence.isEmpty()) {
            return "no evidence";
        }
        EnumSet<EvidenceSource> sources = EnumSet.noneOf(EvidenceSource.class);
        long calls = 0;
        Instant last = Instant.MIN;
        for (CallEvidence e : evidence) {
            sources.addAll(e.sources());
            calls += e.count();
            last = e.lastSeen().isAfter(last) ? e.lastSeen() : last;
        }
        return sources.stream().map(EvidenceSource::label).sorted().collect(Collectors.joining(", "))
                + "; " + String.format(Locale.ROOT, "%,d", calls) + (calls == 1 ? " call" : " calls")
                + "; last seen " + day(last);
    }

    /** The UTC day of an instant, ISO ({@code 2026-12-01}). */
    public static String day(Instant at) {
        return at.atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
}
