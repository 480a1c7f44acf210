package dev.meshpilot.insight.render;

import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.testing.Reports;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TableRendererTest {

    private static List<String> lines(FootprintReport report) {
        return new TableRenderer().render(report).lines().toList();
    }

    @Test
    void everyLine_fitsIn120Columns_withoutProposal() {
        assertThat(lines(Reports.sharedClusterNow()))
                .allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).isLessThanOrEqualTo(120));
    }

    @Test
    void everyLine_fitsIn120Columns_withProposalAndTraffic() {
        assertThat(lines(Reports.sharedClusterOracle()))
                .allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).isLessThanOrEqualTo(120));
    }

    @Test
    void oneLinePerWorkload_plusTotals() {
        FootprintReport report = Reports.sharedClusterNow();
        List<String> lines = lines(report);

        assertThat(lines).filteredOn(l -> l.startsWith("bookinfo/")).hasSize(6);
        assertThat(lines).anyMatch(l -> l.startsWith("Mesh totals (sum over " + report.now().proxies() + " proxies)"));
        assertThat(lines).anyMatch(l -> l.contains("clusters") && l.contains(Long.toString(report.now().clusters())));
        assertThat(lines).anyMatch(l -> l.contains("±30%"));
    }

    @Test
    void proposal_isShownAsNowArrowProposed() {
        FootprintReport report = Reports.sharedClusterOracle();
        List<String> lines = lines(report);

        assertThat(lines).anyMatch(l -> l.startsWith("Proposal: traffic oracle"));
        assertThat(lines).anyMatch(l -> l.contains(report.now().clusters() + "  →  " + report.proposed().orElseThrow()
                .clusters()));
        assertThat(lines).anyMatch(l -> l.startsWith("Calls outside the current scope (would break): 0; outside the "
                + "proposed scope: 0"));
    }

    @Test
    void noLine_endsInSpaces() {
        assertThat(lines(Reports.sharedClusterOracle())).noneMatch(l -> l.endsWith(" "));
    }
}
