package dev.meshpilot.insight.footprint;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a rendering shows: settings, one row per workload, mesh totals now and under the proposal, and notes
 * (what was ignored or could not be expressed). Renderers read only this.
 *
 * @param proposal       one line describing the what-if, empty when none was asked
 * @param trafficChecked true when traffic edges were given, so the rows' "outside scope" lists mean something
 */
public record FootprintReport(ReportSettings settings, List<WorkloadRow> rows, MeshTotals now,
                              Optional<MeshTotals> proposed, Optional<String> proposal, boolean trafficChecked,
                              List<String> notes) {
    public FootprintReport {
        Objects.requireNonNull(settings, "settings");
        rows = List.copyOf(rows);
        Objects.requireNonNull(now, "now");
        proposed = proposed == null ? Optional.empty() : proposed;
        proposal = proposal == null ? Optional.empty() : proposal;
        notes = List.copyOf(notes == null ? List.of() : notes);
    }

    public boolean hasProposal() {
        return proposed.isPresent();
    }

    /** Calls outside the current scopes, over all rows. */
    public int outsideNowCount() {
        return rows.stream().mapToInt(r -> r.outsideNow().size()).sum();
    }

    /** Calls outside the proposed scopes, over all rows. */
    public int outsideProposedCount() {
        return rows.stream().mapToInt(r -> r.outsideProposed().size()).sum();
    }
}
