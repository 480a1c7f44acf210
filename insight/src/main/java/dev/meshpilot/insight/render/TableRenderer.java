package dev.meshpilot.insight.render;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.footprint.MeshTotals;
import dev.meshpilot.insight.footprint.ProxyFootprint;
import dev.meshpilot.insight.footprint.WorkloadRow;
import dev.meshpilot.insight.model.EnvoyMemoryModel.StatsProfile;
import dev.meshpilot.insight.model.MemoryEstimate;
import dev.meshpilot.insight.whatif.TrafficEdge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report as a terminal table no wider than {@value #WIDTH} columns: one line per workload, then mesh totals,
 * medians, the model's caveat and (with traffic) the calls each scope leaves out.
 */
public final class TableRenderer {

    /** No line is wider than this. */
    public static final int WIDTH = 120;

    public String render(FootprintReport report) {
        List<String> lines = new ArrayList<>();
        lines.add(header(report));
        lines.add("");
        if (report.hasProposal()) {
            proposalTable(report, lines);
        } else {
            plainTable(report, lines);
        }
        lines.add("");
        totals(report, lines);
        if (report.trafficChecked()) {
            lines.add("");
            outside(report, lines);
        }
        if (!report.notes().isEmpty()) {
            lines.add("");
            lines.add("Notes:");
            for (String note : report.notes()) {
                lines.add("  - " + note);
            }
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(Formats.fit(line, WIDTH).stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String header(FootprintReport report) {
        var s = report.settings();
        String assumptions = s.kind().isEnvoy()
                ? String.format(Locale.ROOT, (s.kind() == ProxyKind.ENVOY ? "upstream Envoy" : "sidecar") + ", %d workers, %s stats%s", s.workers(),
                        s.stats() == StatsProfile.ISTIO_DEFAULT ? "Istio" : "Envoy", s.assumeMtls() ? ", mTLS assumed" : "")
                : "proxyless gRPC, no memory estimate";
        return String.format(Locale.ROOT, "Footprint of %s: %d workloads, %d proxies (%s)", s.source(),
                report.now().workloads(), report.now().proxies(), assumptions);
    }

    private static void plainTable(FootprintReport report, List<String> lines) {
        String format = "%-36s %4s %6s %6s %5s %6s %8s %8s %8s %8s %-14s";
        lines.add(String.format(Locale.ROOT, format, "WORKLOAD", "REPL", "CLUST", "EPS", "LSTN", "VHOST",
                "CDS KB", "EDS KB", "LDS KB", "RDS KB", "EST MB/PROXY"));
        for (WorkloadRow row : report.rows()) {
            ProxyFootprint f = row.now();
            lines.add(String.format(Locale.ROOT, format, Formats.fit(row.workload().id(), 36),
                    row.workload().replicas(), f.counts().clusters(), f.counts().endpoints(), f.counts().listeners(),
                    f.counts().virtualHosts(), Formats.kb(f.bytes().clusters()), Formats.kb(f.bytes().endpoints()),
                    Formats.kb(f.bytes().listeners()), Formats.kb(f.bytes().routes()), estimate(f.estimate())));
        }
    }

    private static void proposalTable(FootprintReport report, List<String> lines) {
        lines.add("Proposal: " + report.proposal().orElse(""));
        String format = "%-32s %4s %13s %13s %11s %15s %15s %9s";
        lines.add(String.format(Locale.ROOT, format, "WORKLOAD", "REPL", "CLUSTERS", "ENDPOINTS", "LISTENERS",
                "XDS KB", "EST MB/PROXY", report.trafficChecked() ? "OUTSIDE" : ""));
        for (WorkloadRow row : report.rows()) {
            ProxyFootprint n = row.now();
            ProxyFootprint p = row.proposed().orElseThrow();
            lines.add(String.format(Locale.ROOT, format, Formats.fit(row.workload().id(), 32),
                    row.workload().replicas(),
                    arrow(n.counts().clusters(), p.counts().clusters()),
                    arrow(n.counts().endpoints(), p.counts().endpoints()),
                    arrow(n.counts().listeners(), p.counts().listeners()),
                    arrow(Formats.kb(n.bytes().total()), Formats.kb(p.bytes().total())),
                    arrow(mbOrDash(n), mbOrDash(p)),
                    report.trafficChecked() ? arrow(row.outsideNow().size(), row.outsideProposed().size()) : ""));
        }
    }

    private static void totals(FootprintReport report, List<String> lines) {
        MeshTotals now = report.now();
        Optional<MeshTotals> proposed = report.proposed();
        lines.add("Mesh totals (sum over " + now.proxies() + " proxies)" + (proposed.isPresent() ? ": now → proposed" : ":"));
        lines.add(totalLine("clusters", now.clusters(), proposed.map(MeshTotals::clusters)));
        lines.add(totalLine("endpoints", now.endpoints(), proposed.map(MeshTotals::endpoints)));
        lines.add(totalLine("listeners", now.listeners(), proposed.map(MeshTotals::listeners)));
        lines.add(totalLine("virtual hosts", now.virtualHosts(), proposed.map(MeshTotals::virtualHosts)));
        lines.add(bytesLine("xDS bytes CDS", now.bytes().clusters(), proposed.map(t -> t.bytes().clusters())));
        lines.add(bytesLine("xDS bytes EDS", now.bytes().endpoints(), proposed.map(t -> t.bytes().endpoints())));
        lines.add(bytesLine("xDS bytes LDS", now.bytes().listeners(), proposed.map(t -> t.bytes().listeners())));
        lines.add(bytesLine("xDS bytes RDS", now.bytes().routes(), proposed.map(t -> t.bytes().routes())));
        lines.add(bytesLine("xDS bytes total", now.bytes().total(), proposed.map(t -> t.bytes().total())));
        if (now.allocatedBytes() > 0) {
            lines.add(String.format(Locale.ROOT, "  %-22s %s", "est. allocated",
                    band(now) + proposed.map(p -> "  →  " + band(p) + "  (" + Formats.change(now.allocatedBytes(),
                            p.allocatedBytes()) + ")").orElse("")));
            lines.add(String.format(Locale.ROOT, "  %-22s %s", "est. RSS",
                    rss(now) + proposed.map(p -> "  →  " + rss(p)).orElse("")));
        }
        lines.add("Per-proxy medians" + (proposed.isPresent() ? ": now → proposed" : ":"));
        lines.add(totalLine("clusters", now.medianClusters(), proposed.map(MeshTotals::medianClusters)));
        lines.add(bytesLine("xDS bytes", now.medianXdsBytes(), proposed.map(MeshTotals::medianXdsBytes)));
        if (now.allocatedBytes() > 0) {
            lines.add(bytesLine("est. allocated", now.medianAllocatedBytes(),
                    proposed.map(MeshTotals::medianAllocatedBytes)));
        }
        lines.add("Estimates come from EnvoyMemoryModel (Envoy/Istio published coefficients, no Envoy was run): "
                + "±30% cluster-heavy,");
        lines.add("×/÷2 listener/route-heavy; RSS is allocated × 2-2.7 for small heaps, × 1.15-2 for large. "
                + "Counts and xDS bytes are exact.");
    }

    private static void outside(FootprintReport report, List<String> lines) {
        lines.add("Calls outside the current scope (would break): " + report.outsideNowCount()
                + (report.hasProposal() ? "; outside the proposed scope: " + report.outsideProposedCount() : ""));
        for (WorkloadRow row : report.rows()) {
            for (TrafficEdge e : row.outsideNow()) {
                lines.add("  now       " + row.workload().id() + " → " + e.target() + evidence(e));
            }
            for (TrafficEdge e : row.outsideProposed()) {
                lines.add("  proposed  " + row.workload().id() + " → " + e.target() + evidence(e));
            }
        }
    }

    private static String evidence(TrafficEdge e) {
        return e.line() > 0 ? "  (edges line " + e.line() + ")" : "";
    }

    private static String band(MeshTotals t) {
        return Formats.bytes(t.allocatedBytes()) + " [" + Formats.bytes(t.allocatedLow()) + " - "
                + Formats.bytes(t.allocatedHigh()) + "]";
    }

    private static String rss(MeshTotals t) {
        return Formats.bytes(t.rssLowBytes()) + " - " + Formats.bytes(t.rssHighBytes());
    }

    private static String totalLine(String label, long now, Optional<Long> proposed) {
        return String.format(Locale.ROOT, "  %-22s %s", label, now + proposed.map(p -> "  →  " + p + "  ("
                + Formats.change(now, p) + ")").orElse(""));
    }

    private static String bytesLine(String label, long now, Optional<Long> proposed) {
        return String.format(Locale.ROOT, "  %-22s %s", label, Formats.bytes(now) + proposed.map(p -> "  →  "
                + Formats.bytes(p) + "  (" + Formats.change(now, p) + ")").orElse(""));
    }

    private static String estimate(Optional<MemoryEstimate> estimate) {
        return estimate.map(e -> Formats.mb(e.allocatedBytes()) + " " + e.uncertainty().label()).orElse("-");
    }

    private static String mbOrDash(ProxyFootprint f) {
        return f.estimate().map(e -> Formats.mb(e.allocatedBytes())).orElse("-");
    }

    private static String arrow(Object now, Object proposed) {
        return now + " → " + proposed;
    }
}
