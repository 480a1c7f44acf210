package dev.meshpilot.insight.learn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.core.model.SidecarResource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The recommendation as YAML Istio accepts: {@code ---}-separated Sidecar manifests, each egress host followed by a
 * comment with its evidence ({@code # learned: traffic-file; 1,234 calls; last seen 2026-12-01}). A header comment
 * says where the evidence came from, what was skipped and, first of all, which observed calls it would break.
 * Strings are written as JSON strings, which YAML reads as double-quoted scalars.
 */
public final class RecommendationYaml {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecommendationYaml() {
    }

    /** @param header lines for the leading comment (sources, settings) */
    public static String render(Recommendation recommendation, List<String> header) {
        StringBuilder out = new StringBuilder();
        if (!recommendation.brokenCalls().isEmpty()) {
            comment(out, "", "WARNING: this proposal would break " + recommendation.brokenCalls().size()
                    + " recently observed calls:");
            recommendation.brokenCalls().forEach(b -> comment(out, "", "  " + b));
        }
        header.forEach(h -> comment(out, "", h));
        comment(out, "", recommendation.sidecars().size() + " Sidecars, one per " + recommendation.granularity().label());
        recommendation.skipped().forEach(s -> comment(out, "", "skipped " + s.workload() + ": " + s.reason()));
        recommendation.notes().forEach(n -> comment(out, "", "note: " + n));
        for (RecommendedSidecar r : recommendation.sidecars()) {
            out.append("---\n");
            sidecar(out, r);
        }
        return out.toString();
    }

    private static void sidecar(StringBuilder out, RecommendedSidecar r) {
        SidecarResource s = r.sidecar();
        out.append("apiVersion: ").append(Recommender.API_VERSION).append('\n');
        out.append("kind: Sidecar\n");
        out.append("metadata:\n");
        out.append("  name: ").append(q(s.meta().name())).append('\n');
        out.append("  namespace: ").append(q(s.meta().namespace())).append('\n');
        map(out, "  ", "labels", s.meta().labels());
        if (r.workloads().size() > 1) {
            comment(out, "  ", "carries the learned scopes of " + r.workloads().size() + " workloads");
        }
        out.append("spec:\n");
        s.workloadSelector().ifPresent(selector -> {
            out.append("  workloadSelector:\n");
            map(out, "    ", "labels", selector);
        });
        out.append("  egress:\n");
        for (SidecarResource.EgressListener listener : s.egress()) {
            out.append("  - hosts:\n");
            for (String host : listener.hosts()) {
                out.append("    - ").append(q(host));
                String why = r.hostReasons().get(host);
                if (host.equals(Recommender.IMPORT_NOTHING)) {
                    why = "calls nothing: imports no service";
                }
                if (why != null) {
                    out.append("  # ").append(oneLine(why));
                }
                out.append('\n');
            }
        }
        s.outboundTrafficPolicy().ifPresent(p -> out.append("  outboundTrafficPolicy:\n    mode: ").append(p.name())
                .append('\n'));
    }

    private static void map(StringBuilder out, String indent, String key, Map<String, String> values) {
        if (values.isEmpty()) {
            out.append(indent).append(key).append(": {}\n");
            return;
        }
        out.append(indent).append(key).append(":\n");
        new TreeMap<>(values).forEach((k, v) -> out.append(indent).append("  ").append(q(k)).append(": ").append(q(v))
                .append('\n'));
    }

    private static void comment(StringBuilder out, String indent, String text) {
        out.append(indent).append("# ").append(oneLine(text)).append('\n');
    }

    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }

    private static String q(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
