package dev.meshpilot.insight.render;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.footprint.MeshTotals;
import dev.meshpilot.insight.footprint.ProxyFootprint;
import dev.meshpilot.insight.footprint.WorkloadRow;
import dev.meshpilot.insight.model.EnvoyMemoryModel.StatsProfile;
import dev.meshpilot.insight.whatif.TrafficEdge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

/**
 * The report as one self-contained HTML page: inline CSS, charts drawn as inline SVG by {@link Svg}, no script
 * and no reference to anything outside the file. Sections: summary, mesh total, per-workload bars (now vs
 * proposed), distribution of clusters per proxy, what the median proxy's estimate is made of, top offenders, the
 * full workload table, calls outside the scopes, notes and the model's caveats.
 */
public final class HtmlRenderer {

    /** Per-workload chart shows at most this many workloads (the largest now); the table below lists them all. */
    static final int MAX_WORKLOAD_BARS = 40;
    /** The top-offenders chart's length. */
    static final int TOP_OFFENDERS = 10;
    static final int HISTOGRAM_BINS = 12;

    private static final String CSS = """
            body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
            h1{font-size:22px;margin-bottom:4px} h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
            .muted{color:#666;font-size:13px}
            .cards{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0}
            .card{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:180px}
            .card b{display:block;font-size:20px;margin-top:4px}
            .scroll{overflow-x:auto;max-width:100%}
            table{border-collapse:collapse;font-size:12px;width:100%}
            th,td{border-bottom:1px solid #eee;padding:3px 6px;text-align:right;white-space:nowrap}
            th:first-child,td:first-child{text-align:left}
            th{background:#f5f5f5;position:sticky;top:0}
            .now{color:#d1495b} .proposed{color:#00798c}
            figure{margin:10px 0} figcaption{font-size:12px;color:#666}
            """;

    public String render(FootprintReport report) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<link rel=\"icon\" href=\"data:,\">")
                .append("<title>meshpilot footprint: ").append(Html.escape(report.settings().source()))
                .append("</title><style>").append(CSS).append("</style></head><body>\n");
        header(report, html);
        summary(report, html);
        charts(report, html);
        workloadTable(report, html);
        if (report.trafficChecked()) {
            outside(report, html);
        }
        notes(report, html);
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void header(FootprintReport report, StringBuilder html) {
        var s = report.settings();
        html.append("<h1>Proxy footprint: ").append(Html.escape(s.source())).append("</h1>\n");
        html.append("<p class=\"muted\">").append(report.now().workloads()).append(" workloads, ")
                .append(report.now().proxies()).append(" proxies · ")
                .append(s.kind().isEnvoy() ? (s.kind() == ProxyKind.ENVOY ? "upstream Envoy sidecars · " : "Envoy sidecars · ") + s.workers() + " worker threads · "
                        + (s.stats() == StatsProfile.ISTIO_DEFAULT ? "Istio" : "Envoy") + " stats"
                        + (s.assumeMtls() ? " · mTLS assumed on outbound clusters" : "")
                        : "proxyless gRPC clients (no Envoy memory estimate)").append("</p>\n");
        report.proposal().ifPresent(p -> html.append("<p>Proposal: <b class=\"proposed\">").append(Html.escape(p))
                .append("</b></p>\n"));
    }

    private static void summary(FootprintReport report, StringBuilder html) {
        MeshTotals now = report.now();
        Optional<MeshTotals> proposed = report.proposed();
        html.append("<div class=\"cards\">");
        if (now.allocatedBytes() > 0) {
            card(html, "Mesh total, est. allocated", Formats.bytes(now.allocatedBytes()),
                    proposed.map(p -> Formats.bytes(p.allocatedBytes()) + " (" + Formats.change(now.allocatedBytes(),
                            p.allocatedBytes()) + ")"));
            card(html, "Median per proxy, est.", Formats.bytes(now.medianAllocatedBytes()),
                    proposed.map(p -> Formats.bytes(p.medianAllocatedBytes())));
        }
        card(html, "Mesh total, clusters", Long.toString(now.clusters()),
                proposed.map(p -> p.clusters() + " (" + Formats.change(now.clusters(), p.clusters()) + ")"));
        card(html, "Mesh total, xDS bytes", Formats.bytes(now.bytes().total()),
                proposed.map(p -> Formats.bytes(p.bytes().total())));
        card(html, "Median clusters per proxy", Long.toString(now.medianClusters()),
                proposed.map(p -> Long.toString(p.medianClusters())));
        if (report.trafficChecked()) {
            card(html, "Calls outside scope", Integer.toString(report.outsideNowCount()),
                    proposed.map(p -> Integer.toString(report.outsideProposedCount())));
        }
        html.append("</div>\n");
    }

    private static void card(StringBuilder html, String label, String now, Optional<String> proposed) {
        html.append("<div class=\"card\">").append(Html.escape(label)).append("<b class=\"now\">")
                .append(Html.escape(now)).append("</b>");
        proposed.ifPresent(p -> html.append("<b class=\"proposed\">→ ").append(Html.escape(p)).append("</b>"));
        html.append("</div>");
    }

    private static void charts(FootprintReport report, StringBuilder html) {
        boolean estimates = report.now().allocatedBytes() > 0;
        ToLongFunction<ProxyFootprint> metric = estimates ? ProxyFootprint::allocatedBytes : f -> f.bytes().total();
        LongFunction<String> format = Formats::bytes;
        String what = estimates ? "estimated allocated memory" : "serialized xDS bytes";

        html.append("<h2>Mesh total</h2>\n");
        List<Svg.Bar> total = new ArrayList<>();
        if (estimates) {
            total.add(new Svg.Bar("est. allocated, all proxies", report.now().allocatedBytes(),
                    report.proposed().map(MeshTotals::allocatedBytes)));
        }
        total.add(new Svg.Bar("xDS bytes, all proxies", report.now().bytes().total(),
                report.proposed().map(p -> p.bytes().total())));
        figure(html, Svg.horizontalBars("Mesh total", total, format, true),
                "Sum over every proxy (a workload counts once per replica); each row has its own scale.");

        List<WorkloadRow> byNow = new ArrayList<>(report.rows());
        byNow.sort(Comparator.comparingLong((WorkloadRow r) -> metric.applyAsLong(r.now())).reversed()
                .thenComparingLong(r -> r.proposed().map(metric::applyAsLong).orElse(0L))
                .thenComparing(r -> r.workload().id()));
        List<Svg.Bar> perWorkload = byNow.stream().limit(MAX_WORKLOAD_BARS)
                .map(r -> new Svg.Bar(r.workload().id(), metric.applyAsLong(r.now()),
                        r.proposed().map(metric::applyAsLong)))
                .toList();
        html.append("<h2>Per workload: now vs proposed</h2>\n");
        figure(html, Svg.horizontalBars("Per proxy, " + what, perWorkload, format),
                "Per proxy of each workload, " + what + (byNow.size() > MAX_WORKLOAD_BARS
                        ? "; the " + MAX_WORKLOAD_BARS + " largest of " + byNow.size() + " (all are in the table below)"
                        : "") + ".");

        html.append("<h2>Distribution of clusters per proxy</h2>\n");
        histogram(report, html);

        if (estimates) {
            breakdown(report, html);
        }

        List<WorkloadRow> offenders = new ArrayList<>(report.rows());
        offenders.sort(Comparator.comparingLong((WorkloadRow r) -> meshWide(r, r.now(), metric)).reversed()
                .thenComparing(r -> r.workload().id()));
        List<Svg.Bar> top = offenders.stream().limit(TOP_OFFENDERS)
                .map(r -> new Svg.Bar(r.workload().id() + " ×" + r.workload().replicas(), meshWide(r, r.now(), metric),
                        r.proposed().map(p -> meshWide(r, p, metric))))
                .toList();
        html.append("<h2>Top offenders</h2>\n");
        figure(html, Svg.horizontalBars("Top offenders, all replicas", top, format),
                "Workloads costing the most over all their replicas (" + what + " × replicas).");
    }

    /** What the model charges the median proxy for, now and under the proposal (same workload). */
    private static void breakdown(FootprintReport report, StringBuilder html) {
        Optional<WorkloadRow> median = report.rows().stream()
                .filter(r -> r.workload().replicas() > 0)
                .filter(r -> r.now().allocatedBytes() == report.now().medianAllocatedBytes())
                .findFirst();
        if (median.isEmpty()) {
            return;
        }
        WorkloadRow row = median.get();
        List<Svg.Stack> stacks = new ArrayList<>();
        stacks.add(stack("now", row.now()));
        row.proposed().ifPresent(p -> stacks.add(stack("proposed", p)));
        html.append("<h2>What the median proxy is charged for</h2>\n");
        figure(html, Svg.stackedBars("Estimate by model term, " + row.workload().id(), stacks, Formats::bytes),
                row.workload().id() + " (a proxy at the median estimate): the model's terms. The process base does not "
                        + "shrink with the scope.");
    }

    private static Svg.Stack stack(String label, ProxyFootprint f) {
        var b = f.estimate().orElseThrow().breakdown();
        return new Svg.Stack(label, List.of(
                new Svg.Segment("base", b.base(), "#b0b0b0"),
                new Svg.Segment("clusters", b.clusters(), "#e9c46a"),
                new Svg.Segment("endpoints", b.endpoints(), "#f4a261"),
                new Svg.Segment("listeners", b.listeners(), "#8d6cab"),
                new Svg.Segment("routes", b.routes(), "#4f9dde")));
    }

    private static long meshWide(WorkloadRow row, ProxyFootprint f, ToLongFunction<ProxyFootprint> metric) {
        return metric.applyAsLong(f) * row.workload().replicas();
    }

    private static void histogram(FootprintReport report, StringBuilder html) {
        long max = 0;
        for (WorkloadRow r : report.rows()) {
            max = Math.max(max, r.now().counts().clusters());
            max = Math.max(max, r.proposed().map(p -> (long) p.counts().clusters()).orElse(0L));
        }
        int bins = HISTOGRAM_BINS;
        long width = Math.max(1, (max + bins) / bins);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            labels.add(i * width + "-" + ((i + 1) * width - 1));
        }
        long[] now = new long[bins];
        long[] proposed = new long[bins];
        for (WorkloadRow r : report.rows()) {
            now[(int) Math.min(bins - 1, r.now().counts().clusters() / width)] += r.workload().replicas();
            r.proposed().ifPresent(p -> proposed[(int) Math.min(bins - 1, p.counts().clusters() / width)]
                    += r.workload().replicas());
        }
        figure(html, Svg.histogram("Clusters per proxy", labels, now,
                        report.hasProposal() ? Optional.of(proposed) : Optional.empty(), "clusters per proxy (bins)"),
                "Number of proxies per range of cluster count.");
    }

    private static void figure(StringBuilder html, String svg, String caption) {
        html.append("<figure>").append(svg).append("<figcaption>").append(Html.escape(caption))
                .append("</figcaption></figure>\n");
    }

    private static void workloadTable(FootprintReport report, StringBuilder html) {
        boolean proposal = report.hasProposal();
        html.append("<h2>All workloads</h2>\n<div class=\"scroll\"><table><thead><tr><th>workload</th><th>kind</th><th>replicas</th>")
                .append("<th>scope</th><th>clusters</th><th>endpoints</th><th>listeners</th><th>virtual hosts</th>")
                .append("<th>CDS</th><th>EDS</th><th>LDS</th><th>RDS</th><th>est. per proxy</th>");
        if (report.trafficChecked()) {
            html.append("<th>calls outside</th>");
        }
        html.append("</tr></thead><tbody>\n");
        for (WorkloadRow r : report.rows()) {
            html.append("<tr><td>").append(Html.escape(r.workload().id())).append("</td><td>")
                    .append(Html.escape(r.workload().kind())).append("</td><td>").append(r.workload().replicas())
                    .append("</td>");
            cell(html, r.now().scopeName(), r.proposed().map(ProxyFootprint::scopeName), proposal);
            cell(html, Long.toString(r.now().counts().clusters()),
                    r.proposed().map(p -> Long.toString(p.counts().clusters())), proposal);
            cell(html, Long.toString(r.now().counts().endpoints()),
                    r.proposed().map(p -> Long.toString(p.counts().endpoints())), proposal);
            cell(html, Long.toString(r.now().counts().listeners()),
                    r.proposed().map(p -> Long.toString(p.counts().listeners())), proposal);
            cell(html, Long.toString(r.now().counts().virtualHosts()),
                    r.proposed().map(p -> Long.toString(p.counts().virtualHosts())), proposal);
            cell(html, Formats.bytes(r.now().bytes().clusters()),
                    r.proposed().map(p -> Formats.bytes(p.bytes().clusters())), proposal);
            cell(html, Formats.bytes(r.now().bytes().endpoints()),
                    r.proposed().map(p -> Formats.bytes(p.bytes().endpoints())), proposal);
            cell(html, Formats.bytes(r.now().bytes().listeners()),
                    r.proposed().map(p -> Formats.bytes(p.bytes().listeners())), proposal);
            cell(html, Formats.bytes(r.now().bytes().routes()),
                    r.proposed().map(p -> Formats.bytes(p.bytes().routes())), proposal);
            cell(html, estimate(r.now()), r.proposed().map(HtmlRenderer::estimate), proposal);
            if (report.trafficChecked()) {
                cell(html, Integer.toString(r.outsideNow().size()),
                        Optional.of(Integer.toString(r.outsideProposed().size())), proposal);
            }
            html.append("</tr>\n");
        }
        html.append("</tbody></table></div>\n");
    }

    private static String estimate(ProxyFootprint f) {
        return f.estimate().map(e -> Formats.bytes(e.allocatedBytes()) + " " + e.uncertainty().label()).orElse("–");
    }

    private static void cell(StringBuilder html, String now, Optional<String> proposed, boolean showProposed) {
        html.append("<td><span class=\"now\">").append(Html.escape(now)).append("</span>");
        if (showProposed && proposed.isPresent()) {
            html.append(" → <span class=\"proposed\">").append(Html.escape(proposed.get())).append("</span>");
        }
        html.append("</td>");
    }

    private static void outside(FootprintReport report, StringBuilder html) {
        html.append("<h2>Calls outside the scope</h2>\n<p>").append(report.outsideNowCount())
                .append(" calls fall outside the current scopes");
        if (report.hasProposal()) {
            html.append(", ").append(report.outsideProposedCount()).append(" outside the proposed ones (zero is the target)");
        }
        html.append(".</p>\n");
        if (report.outsideNowCount() + report.outsideProposedCount() == 0) {
            return;
        }
        html.append("<div class=\"scroll\"><table><thead><tr><th>workload</th><th>scope</th><th>call</th>")
                .append("<th>evidence</th></tr></thead><tbody>\n");
        for (WorkloadRow r : report.rows()) {
            for (TrafficEdge e : r.outsideNow()) {
                edgeRow(html, r, "now", e);
            }
            for (TrafficEdge e : r.outsideProposed()) {
                edgeRow(html, r, "proposed", e);
            }
        }
        html.append("</tbody></table></div>\n");
    }

    private static void edgeRow(StringBuilder html, WorkloadRow r, String which, TrafficEdge e) {
        html.append("<tr><td>").append(Html.escape(r.workload().id())).append("</td><td class=\"").append(which)
                .append("\">").append(which).append("</td><td>").append(Html.escape(e.target())).append("</td><td>")
                .append(Html.escape(Formats.fit(e.evidence(), 90))).append("</td></tr>\n");
    }

    private static void notes(FootprintReport report, StringBuilder html) {
        html.append("<h2>How to read this</h2>\n<ul>");
        html.append("<li>Counts and xDS bytes are exact: they are read from the resources meshpilot generates for ")
                .append("each workload's representative pod (what <code>proxy-config all -o json</code> shows).</li>");
        html.append("<li>Memory is an estimate from published Envoy and Istio measurements (no Envoy ran): ")
                .append("±30% where clusters dominate, a factor of 2 where listeners and routes do. RSS is allocated × ")
                .append("2–2.7 for small heaps and × 1.15–2 for large ones.</li>");
        html.append(String.format(Locale.ROOT, "<li>Worker threads assumed: %d (Istio's default is 2).</li>",
                report.settings().workers()));
        for (String note : report.notes()) {
            html.append("<li>").append(Html.escape(note)).append("</li>");
        }
        html.append("</ul>\n");
    }
}
