package dev.meshpilot.insight.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.footprint.MeshTotals;
import dev.meshpilot.insight.footprint.ProxyFootprint;
import dev.meshpilot.insight.footprint.WorkloadRow;
import dev.meshpilot.insight.footprint.XdsBytes;
import dev.meshpilot.insight.model.ConfigCounts;
import dev.meshpilot.insight.model.EnvoyMemoryModel.StatsProfile;
import dev.meshpilot.insight.model.MemoryEstimate;
import dev.meshpilot.insight.whatif.TrafficEdge;

import java.util.List;
import java.util.Locale;

/**
 * The report as JSON, schema {@value #SCHEMA} (documented in {@code docs/footprint.md}). Keys are written in a
 * fixed order; absent values are {@code null} (never left out), so consumers can rely on every key.
 */
public final class JsonRenderer {

    /** The schema identifier written as the first key. */
    public static final String SCHEMA = "meshpilot.dev/footprint/v1";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String render(FootprintReport report) {
        try {
            return MAPPER.writeValueAsString(tree(report)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serializes", e);
        }
    }

    /** The report as a Jackson tree (for callers that embed it). */
    public ObjectNode tree(FootprintReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        ObjectNode settings = root.putObject("settings");
        settings.put("source", report.settings().source());
        settings.put("proxyType", switch (report.settings().kind()) {
            case SIDECAR -> "sidecar";
            case ENVOY -> "envoy";
            case PROXYLESS_GRPC -> "grpc";
        });
        settings.put("workers", report.settings().workers());
        settings.put("stats", report.settings().stats() == StatsProfile.ISTIO_DEFAULT ? "istio" : "envoy");
        settings.put("assumeMtls", report.settings().assumeMtls());
        if (report.proposal().isPresent()) {
            root.put("proposal", report.proposal().get());
        } else {
            root.putNull("proposal");
        }
        root.put("trafficChecked", report.trafficChecked());
        ArrayNode workloads = root.putArray("workloads");
        for (WorkloadRow row : report.rows()) {
            ObjectNode w = workloads.addObject();
            w.put("kind", row.workload().kind());
            w.put("namespace", row.workload().namespace());
            w.put("name", row.workload().name());
            w.put("replicas", row.workload().replicas());
            w.put("proxy", row.workload().representative());
            w.set("now", footprint(row.now()));
            if (row.proposed().isPresent()) {
                w.set("proposed", footprint(row.proposed().get()));
            } else {
                w.putNull("proposed");
            }
            w.set("outsideNow", edges(row.outsideNow()));
            w.set("outsideProposed", edges(row.outsideProposed()));
        }
        ObjectNode totals = root.putObject("totals");
        totals.set("now", totals(report.now()));
        if (report.proposed().isPresent()) {
            totals.set("proposed", totals(report.proposed().get()));
        } else {
            totals.putNull("proposed");
        }
        ArrayNode notes = root.putArray("notes");
        report.notes().forEach(notes::add);
        return root;
    }

    private static ObjectNode footprint(ProxyFootprint f) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("scope", f.scopeName());
        ConfigCounts c = f.counts();
        node.put("clusters", c.clusters());
        node.put("tlsClusters", c.tlsClusters());
        node.put("endpoints", c.endpoints());
        node.put("listeners", c.listeners());
        node.put("httpListeners", c.httpListeners());
        node.put("tcpListeners", c.tcpListeners());
        node.put("extraFilterChains", c.extraFilterChains());
        node.put("virtualHosts", c.virtualHosts());
        node.put("routes", c.routes());
        node.set("xdsBytes", bytes(f.bytes()));
        if (f.estimate().isPresent()) {
            node.set("estimate", estimate(f.estimate().get()));
        } else {
            node.putNull("estimate");
        }
        return node;
    }

    private static ObjectNode bytes(XdsBytes b) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("clusters", b.clusters());
        node.put("endpoints", b.endpoints());
        node.put("listeners", b.listeners());
        node.put("routes", b.routes());
        node.put("total", b.total());
        return node;
    }

    private static ObjectNode estimate(MemoryEstimate e) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("allocatedBytes", e.allocatedBytes());
        node.put("allocatedLowBytes", e.allocatedLow());
        node.put("allocatedHighBytes", e.allocatedHigh());
        node.put("rssLowBytes", e.rssLowBytes());
        node.put("rssHighBytes", e.rssHighBytes());
        node.put("uncertainty", e.uncertainty().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        node.put("uncertaintyLabel", e.uncertainty().label());
        ObjectNode breakdown = node.putObject("breakdownBytes");
        breakdown.put("base", e.breakdown().base());
        breakdown.put("clusters", e.breakdown().clusters());
        breakdown.put("endpoints", e.breakdown().endpoints());
        breakdown.put("listeners", e.breakdown().listeners());
        breakdown.put("routes", e.breakdown().routes());
        return node;
    }

    private static ObjectNode totals(MeshTotals t) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("workloads", t.workloads());
        node.put("proxies", t.proxies());
        node.put("clusters", t.clusters());
        node.put("endpoints", t.endpoints());
        node.put("listeners", t.listeners());
        node.put("virtualHosts", t.virtualHosts());
        node.set("xdsBytes", bytes(t.bytes()));
        node.put("allocatedBytes", t.allocatedBytes());
        node.put("allocatedLowBytes", t.allocatedLow());
        node.put("allocatedHighBytes", t.allocatedHigh());
        node.put("rssLowBytes", t.rssLowBytes());
        node.put("rssHighBytes", t.rssHighBytes());
        ObjectNode medians = node.putObject("perProxyMedian");
        medians.put("clusters", t.medianClusters());
        medians.put("xdsBytes", t.medianXdsBytes());
        medians.put("allocatedBytes", t.medianAllocatedBytes());
        return node;
    }

    private static ArrayNode edges(List<TrafficEdge> edges) {
        ArrayNode array = MAPPER.createArrayNode();
        for (TrafficEdge e : edges) {
            ObjectNode node = array.addObject();
            node.put("host", e.host());
            node.put("port", e.port());
            node.put("evidence", e.evidence());
            node.put("line", e.line());
        }
        return array;
    }
}
