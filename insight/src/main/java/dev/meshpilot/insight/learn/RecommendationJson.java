package dev.meshpilot.insight.learn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshpilot.insight.footprint.FootprintReport;

/** The recommendation as JSON: manifests, each workload's learned scope with every host's reason, skips, breaks. */
public final class RecommendationJson {

    public static final String SCHEMA = "meshpilot.dev/recommendation/v1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RecommendationJson() {
    }

    public static ObjectNode tree(Recommendation recommendation, FootprintReport footprint) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("granularity", recommendation.granularity().label());
        ArrayNode broken = root.putArray("brokenCalls");
        recommendation.brokenCalls().forEach(b -> broken.addObject().put("workload", b.workload().toString())
                .put("destination", b.call().destination().toString()).put("scopedBy", b.scopeName()));
        ObjectNode totals = root.putObject("totals");
        totals.put("workloads", footprint.now().workloads());
        totals.put("proxies", footprint.now().proxies());
        totals.put("clustersNow", footprint.now().clusters());
        totals.put("clustersRecommended", footprint.proposed().orElseThrow().clusters());
        totals.put("allocatedBytesNow", footprint.now().allocatedBytes());
        totals.put("allocatedBytesRecommended", footprint.proposed().orElseThrow().allocatedBytes());
        ArrayNode sidecars = root.putArray("sidecars");
        SidecarManifests.manifests(recommendation).forEach(sidecars::add);
        ArrayNode workloads = root.putArray("workloads");
        recommendation.scopes().forEach(scope -> workloads.add(LearnedScopeJson.tree(scope)));
        ArrayNode skipped = root.putArray("skipped");
        recommendation.skipped().forEach(s -> skipped.addObject().put("workload", s.workload()).put("reason", s.reason()));
        ArrayNode notes = root.putArray("notes");
        recommendation.notes().forEach(notes::add);
        return root;
    }

    public static String render(Recommendation recommendation, FootprintReport footprint) {
        try {
            return JSON.writeValueAsString(tree(recommendation, footprint)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
