package dev.meshpilot.kube.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Turns an object read from the API server into the JSON tree the converters take, the same tree a manifest file
 * yields. Objects of built-in kinds inside list responses carry no {@code apiVersion}/{@code kind}; they are
 * filled in from the kind that was listed.
 */
final class ResourceJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResourceJson() {
    }

    static JsonNode toTree(GenericKubernetesResource resource, WatchedKind kind) {
        // fabric8 serializes with its own (Jackson 3) mapper; the converters read Jackson 2 trees.
        String json = Serialization.asJson(resource);
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("fabric8 produced JSON that Jackson cannot read back", e);
        }
        if (tree instanceof ObjectNode object) {
            if (!object.path("apiVersion").isTextual() || object.path("apiVersion").textValue().isEmpty()) {
                object.put("apiVersion", kind.apiVersion());
            }
            if (!object.path("kind").isTextual() || object.path("kind").textValue().isEmpty()) {
                object.put("kind", kind.kind());
            }
            if (object.path("metadata").isObject()) {
                ((ObjectNode) object.get("metadata")).remove("managedFields");
            }
        }
        return tree;
    }
}
