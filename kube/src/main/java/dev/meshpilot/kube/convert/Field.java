package dev.meshpilot.kube.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * A node of a Kubernetes object together with its path ({@code spec.ports[0].port}), with typed reads that
 * fail with a {@link FieldException} naming that path. YAML {@code null} counts as absent, as in Kubernetes.
 */
final class Field {

    private final JsonNode node;
    private final String path;

    private Field(JsonNode node, String path) {
        this.node = node == null || node.isNull() ? MissingNode.getInstance() : node;
        this.path = path;
    }

    static Field root(JsonNode node) {
        return new Field(node, "");
    }

    /** A root whose children's paths start with {@code prefix} followed by a space (e.g. {@code data.mesh:}). */
    static Field rootAt(JsonNode node, String prefix) {
        return new Field(node, prefix);
    }

    String path() {
        return path;
    }

    JsonNode node() {
        return node;
    }

    boolean isPresent() {
        return !node.isMissingNode();
    }

    Field get(String name) {
        String childPath = path.isEmpty() ? name : path.endsWith(":") ? path + " " + name : path + "." + name;
        return new Field(node.isObject() ? node.get(name) : null, childPath);
    }

    FieldException error(String message) {
        return new FieldException(path, message);
    }

    // ----- objects

    /** Requires an object (absent is fine) and rejects keys not in {@code allowed}, as Istio's strict schemas do. */
    Field object(Set<String> allowed) {
        requireObjectIfPresent();
        if (isPresent()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    throw get(name).error("unknown field \"" + name + "\" (known fields: "
                            + String.join(", ", new TreeSet<>(allowed)) + ")");
                }
            }
        }
        return this;
    }

    Field requireObjectIfPresent() {
        if (isPresent() && !node.isObject()) {
            throw error("must be an object, got " + describe(node));
        }
        return this;
    }

    Field requiredObject() {
        if (!isPresent()) {
            throw error("is required");
        }
        return requireObjectIfPresent();
    }

    // ----- scalars

    String string() {
        if (!isPresent()) {
            throw error("is required");
        }
        String value = optString().orElseThrow();
        if (value.isEmpty()) {
            throw error("must not be empty");
        }
        return value;
    }

    String string(String defaultValue) {
        return optString().orElse(defaultValue);
    }

    Optional<String> optString() {
        if (!isPresent()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw error("must be a string, got " + describe(node));
        }
        return Optional.of(node.textValue());
    }

    int integer() {
        if (!isPresent()) {
            throw error("is required");
        }
        return optInt().getAsInt();
    }

    int integer(int defaultValue) {
        OptionalInt v = optInt();
        return v.isPresent() ? v.getAsInt() : defaultValue;
    }

    OptionalInt optInt() {
        if (!isPresent()) {
            return OptionalInt.empty();
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw error("must be an integer, got " + describe(node));
        }
        return OptionalInt.of(node.intValue());
    }

    int port() {
        int value = integer();
        checkPort(value);
        return value;
    }

    void checkPort(int value) {
        if (value < 1 || value > 65535) {
            throw error("port " + value + " is out of range 1-65535");
        }
    }

    boolean bool(boolean defaultValue) {
        if (!isPresent()) {
            return defaultValue;
        }
        if (!node.isBoolean()) {
            throw error("must be true or false, got " + describe(node));
        }
        return node.booleanValue();
    }

    // ----- collections

    List<Field> list() {
        if (!isPresent()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw error("must be a list, got " + describe(node));
        }
        List<Field> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(new Field(node.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    List<String> stringList() {
        List<String> out = new ArrayList<>();
        for (Field f : list()) {
            out.add(f.optString().orElseThrow(() -> f.error("must be a string, got null")));
        }
        return out;
    }

    /** A map of string values (labels, selectors); absent is empty. */
    Map<String, String> stringMap() {
        requireObjectIfPresent();
        Map<String, String> out = new LinkedHashMap<>();
        if (isPresent()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                Field value = get(name);
                out.put(name, value.optString().orElseThrow(() -> value.error("must be a string, got null")));
            }
        }
        return out;
    }

    /** A map of integer values (ServiceEntry endpoint ports). */
    Map<String, Integer> intMap() {
        requireObjectIfPresent();
        Map<String, Integer> out = new LinkedHashMap<>();
        if (isPresent()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                out.put(name, get(name).integer());
            }
        }
        return out;
    }

    static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "string \"" + node.textValue() + "\"";
        }
        if (node.isNumber()) {
            return "number " + node.asText();
        }
        if (node.isBoolean()) {
            return "boolean " + node.asText();
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
