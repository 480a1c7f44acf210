package dev.meshpilot.insight.render;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.footprint.FootprintStudy;
import dev.meshpilot.insight.footprint.ProxyFootprint;
import dev.meshpilot.insight.footprint.ReportSettings;
import dev.meshpilot.insight.footprint.XdsBytes;
import dev.meshpilot.insight.model.ConfigCounts;
import dev.meshpilot.insight.model.EnvoyMemoryModel;
import dev.meshpilot.insight.model.EnvoyMemoryModel.StatsProfile;
import dev.meshpilot.insight.testing.Reports;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The page is self-contained, holds its charts and every workload, and escapes what it prints. */
class HtmlRendererTest {

    private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?:)?//[^\\s\"'<>)]+");

    @Test
    void page_referencesNothingOutsideItself() {
        String html = new HtmlRenderer().render(Reports.sharedClusterOracle());

        Matcher m = URL.matcher(html);
        while (m.find()) {
            assertThat(m.group()).as("only the SVG namespace may look like a URL")
                    .isEqualTo("http://www.w3.org/2000/svg");
        }
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase(" src=")
                .doesNotContainIgnoringCase("@import").doesNotContainIgnoringCase("url(");
        assertThat(html.replace("href=\"data:,\"", "")).doesNotContainIgnoringCase("href=");
    }

    @Test
    void page_holdsTheFourChartsAndTheMedianBreakdown() {
        String html = new HtmlRenderer().render(Reports.sharedClusterOracle());

        assertThat(html.split("<svg ", -1)).hasSize(6);
        assertThat(html).contains("aria-label=\"Estimate by model term, ");
        assertThat(html).contains("aria-label=\"Mesh total\"", "aria-label=\"Per proxy, estimated allocated memory\"",
                "aria-label=\"Clusters per proxy\"", "aria-label=\"Top offenders, all replicas\"");
        assertThat(html).contains(Svg.NOW, Svg.PROPOSED);
    }

    @Test
    void table_listsEveryWorkload() {
        FootprintReport report = Reports.sharedClusterOracle();
        String html = new HtmlRenderer().render(report);

        for (var row : report.rows()) {
            assertThat(html).contains("<tr><td>" + row.workload().id() + "</td>");
        }
    }

    @Test
    void withoutProposal_chartsHaveOnlyTheNowSeries() {
        String html = new HtmlRenderer().render(Reports.sharedClusterNow());

        assertThat(html.contains("fill=\"" + Svg.NOW + "\"")).isTrue();
        assertThat(html.contains("fill=\"" + Svg.PROPOSED + "\"")).as("proposed bars").isFalse();
        assertThat(html.contains("Proposal:")).isFalse();
    }

    @Test
    void namesAreEscaped() {
        ConfigCounts counts = new ConfigCounts(5, 0, 5, 1, 1, 0, 2, 2);
        ProxyFootprint evil = new ProxyFootprint("<b>x</b>.ns", "ns", ProxyKind.SIDECAR, "\"><script>alert(1)</script>",
                counts, new XdsBytes(1, 2, 3, 4), Optional.of(EnvoyMemoryModel.istioSidecar(2).estimate(counts)));
        FootprintReport report = FootprintStudy.live(List.of(evil),
                new ReportSettings("<i>live</i>", ProxyKind.SIDECAR, 2, StatsProfile.ISTIO_DEFAULT, false));

        String html = new HtmlRenderer().render(report);

        assertThat(html).doesNotContain("<script>", "<b>x</b>", "<i>live</i>")
                .contains("&lt;script&gt;", "&lt;b&gt;x&lt;/b&gt;");
    }
}
