package dev.meshpilot.insight.learn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshpilot.core.model.SidecarResource;

import java.util.TreeMap;

/**
 * Recommended Sidecars as Istio {@code networking.istio.io/v1} manifests, as Jackson trees: what a Kubernetes
 * applier sends, what the JSON output holds, and what the YAML output spells out (with comments).
 */
public final class SidecarManifests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SidecarManifests() {
    }

    /** The manifest of one recommended Sidecar (no status, no creation time). */
    public static ObjectNode manifest(SidecarResource sidecar) {
        ObjectNode root = JSON.createObjectNode();
        root.put("apiVersion", Recommender.API_VERSION);
        root.put("kind", "Sidecar");
        ObjectNode meta = root.putObject("metadata");
        meta.put("name", sidecar.meta().name());
        meta.put("namespace", sidecar.meta().namespace());
        ObjectNode labels = meta.putObject("labels");
        new TreeMap<>(sidecar.meta().labels()).forEach(labels::put);
        ObjectNode spec = root.putObject("spec");
        sidecar.workloadSelector().ifPresent(selector -> {
            ObjectNode l = spec.putObject("workloadSelector").putObject("labels");
            new TreeMap<>(selector).forEach(l::put);
        });
        ArrayNode egress = spec.putArray("egress");
        for (SidecarResource.EgressListener listener : sidecar.egress()) {
            ArrayNode hosts = egress.addObject().putArray("hosts");
            listener.hosts().forEach(hosts::add);
        }
        sidecar.outboundTrafficPolicy().ifPresent(p -> spec.putObject("outboundTrafficPolicy").put("mode", p.name()));
        return root;
    }

    /** Every manifest of a recommendation, in its order. */
    public static java.util.List<ObjectNode> manifests(Recommendation recommendation) {
        return recommendation.resources().stream().map(SidecarManifests::manifest).toList();
    }
}
