package dev.meshpilot.xds.dump;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes a resource's JSON parseable when it holds {@code Any}s of types no registry here knows (Istio's
 * {@code istio.stats}, {@code istio.metadata_exchange}, a vendor's filter): each such {@code Any} becomes a
 * {@code google.protobuf.Struct} {@code Any} holding the original object, its {@code @type} included, so the
 * resource still parses, its size stays close to the original, and {@link DumpJson} can print it back as it was.
 * Counts the unknown types it met.
 */
final class UnknownAnys {

    static final String STRUCT_URL = "type.googleapis.com/google.protobuf.Struct";
    private static final String TYPE = "@type";

    private final Map<String, Integer> unknown = new TreeMap<>();

    /** Rewrites {@code node} in place. */
    void rewrite(JsonNode node) {
        if (node.isArray()) {
            node.forEach(this::rewrite);
            return;
        }
        if (!node.isObject()) {
            return;
        }
        ObjectNode object = (ObjectNode) node;
        JsonNode type = object.get(TYPE);
        if (type != null && type.isTextual() && !DumpTypeRegistry.knows(type.asText())) {
            unknown.merge(type.asText(), 1, Integer::sum);
            ObjectNode original = object.deepCopy();
            object.removeAll();
            object.put(TYPE, STRUCT_URL);
            object.set("value", original);
            return;
        }
        List<JsonNode> children = new ArrayList<>();
        for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
            children.add(it.next());
        }
        children.forEach(this::rewrite);
    }

    /** Type URL → how many {@code Any}s of it were kept opaque. */
    Map<String, Integer> unknownTypes() {
        return Map.copyOf(unknown);
    }

    /** The inverse, for printing: a Struct {@code Any} whose value carries an {@code @type} is that value again. */
    static void restore(JsonNode node) {
        if (node.isArray()) {
            node.forEach(UnknownAnys::restore);
            return;
        }
        if (!node.isObject()) {
            return;
        }
        ObjectNode object = (ObjectNode) node;
        JsonNode type = object.get(TYPE);
        JsonNode value = object.get("value");
        if (type != null && STRUCT_URL.equals(type.asText()) && value != null && value.isObject()
                && value.has(TYPE) && object.size() == 2) {
            object.removeAll();
            object.setAll((ObjectNode) value);
            return;
        }
        object.elements().forEachRemaining(UnknownAnys::restore);
    }
}
