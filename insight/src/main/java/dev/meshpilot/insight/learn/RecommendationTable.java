package dev.meshpilot.insight.learn;

import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.footprint.MeshTotals;
import dev.meshpilot.insight.footprint.ProxyFootprint;
import dev.meshpilot.insight.footprint.WorkloadRow;
import dev.meshpilot.insight.render.Formats;

import java.util.Locale;

/**
 * The recommendation for people: per workload, the Sidecar that would scope it, clusters and estimated memory now
 * and recommended; mesh-wide totals; workloads left alone and why; and, first, any observed call it would break.
 */
public final class RecommendationTable {

    private RecommendationTable() {
    }

    public static String render(Recommendation recommendation, FootprintReport footprint) {
        StringBuilder out = new StringBuilder();
        if (!recommendation.brokenCalls().isEmpty()) {
            out.append("WARNING: this proposal would break ").append(recommendation.brokenCalls().size())
                    .append(" recently observed calls:\n");
            recommendation.brokenCalls().forEach(b -> out.append("  ").append(b).append('\n'));
            out.append('\n');
        }
        out.append(String.format(Locale.ROOT, "%-50s %-40s %9s %9s %11s %11s%n", "WORKLOAD", "SCOPED BY",
                "CLUSTERS", "-> REC", "EST MEMORY", "-> REC"));
        for (WorkloadRow row : footprint.rows()) {
            ProxyFootprint now = row.now();
            ProxyFootprint rec = row.proposed().orElseThrow();
            out.append(String.format(Locale.ROOT, "%-50s %-40s %9d %9d %11s %11s%n", row.workload().id(),
                    rec.scopeName(), now.counts().clusters(), rec.counts().clusters(),
                    Formats.bytes(now.allocatedBytes()), Formats.bytes(rec.allocatedBytes())));
        }
        MeshTotals n = footprint.now();
        MeshTotals r = footprint.proposed().orElseThrow();
        out.append('\n').append(String.format(Locale.ROOT,
                "mesh: %d workloads, %d proxies; clusters %d -> %d (%s); est. memory %s -> %s (%s)%n", n.workloads(),
                n.proxies(), n.clusters(), r.clusters(), Formats.change(n.clusters(), r.clusters()),
                Formats.bytes(n.allocatedBytes()), Formats.bytes(r.allocatedBytes()),
                Formats.change(n.allocatedBytes(), r.allocatedBytes())));
        out.append(recommendation.sidecars().size()).append(" Sidecars recommended, one per ")
                .append(recommendation.granularity().label()).append("; ")
                .append(recommendation.brokenCalls().isEmpty() ? "no observed call would break"
                        : recommendation.brokenCalls().size() + " observed calls would break").append('\n');
        if (!recommendation.skipped().isEmpty()) {
            out.append("\nleft alone:\n");
            recommendation.skipped().forEach(s -> out.append("  ").append(s.workload()).append(": ")
                    .append(s.reason()).append('\n'));
        }
        if (!recommendation.notes().isEmpty()) {
            out.append("\nnotes:\n");
            recommendation.notes().forEach(note -> out.append("  ").append(note).append('\n'));
        }
        return out.toString();
    }
}
