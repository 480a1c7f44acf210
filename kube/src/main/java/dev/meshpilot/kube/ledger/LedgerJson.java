package dev.meshpilot.kube.ledger;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.ledger.WorkloadLedger;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one stored shape of a ledger page, shared by the state directory (one file per workload) and the
 * {@code WorkloadDependencies} custom resource (its {@code spec}):
 *
 * <pre>
 * formatVersion: 1
 * workload: {namespace: bookinfo, name: productpage-v1}
 * lastReported: {prometheus: "2026-12-06T03:00:00Z"}          # per source, the last time it reported at all
 * calls:
 * - host: reviews.bookinfo.svc.cluster.local                  # Destination.host
 *   port: 9080                                                # 0 when the evidence named no port
 *   proto: [http]                                             # protocols (http, grpc, tcp)
 *   src: [prometheus]                                         # evidence sources (labels as EvidenceSource.label)
 *   first: "2026-12-01T10:00:00Z"                             # firstSeen
 *   last: "2026-12-06T02:59:00Z"                              # lastSeen
 *   counts: {"prometheus http://prom:9090": 1234}             # countsByReporter
 *   days: [20423, 20428]                                      # seenDays, UTC epoch days
 * </pre>
 *
 * Short names ({@code proto}, {@code src}, {@code first}, {@code last}, {@code days}) keep a page of thousands
 * of calls small; about 200 bytes a call with one reporter. A page of a newer {@code formatVersion} than
 * {@link #FORMAT_VERSION} is refused with a clear message (the store sets it aside), never half-read.
 */
public final class LedgerJson {

    /** The format this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private LedgerJson() {
    }

    /** The page as a tree (the custom resource's {@code spec}). */
    public static ObjectNode toTree(WorkloadLedger page) {
        ObjectNode root = NODES.objectNode();
        root.put("formatVersion", FORMAT_VERSION);
        ObjectNode workload = root.putObject("workload");
        workload.put("namespace", page.workload().namespace());
        workload.put("name", page.workload().name());
        ObjectNode reported = root.putObject("lastReported");
        page.lastReported().forEach((source, at) -> reported.put(source.label(), at.toString()));
        ArrayNode calls = root.putArray("calls");
        page.calls().values().forEach(evidence -> calls.add(callTree(evidence)));
        return root;
    }

    /** One call's entry, as it appears in {@code calls}. */
    static ObjectNode callTree(CallEvidence evidence) {
        ObjectNode call = NODES.objectNode();
        call.put("host", evidence.destination().host());
        call.put("port", evidence.destination().port());
        ArrayNode protocols = call.putArray("proto");
        evidence.protocols().forEach(p -> protocols.add(p.name().toLowerCase(Locale.ROOT)));
        ArrayNode sources = call.putArray("src");
        evidence.sources().forEach(s -> sources.add(s.label()));
        call.put("first", evidence.firstSeen().toString());
        call.put("last", evidence.lastSeen().toString());
        ObjectNode counts = call.putObject("counts");
        evidence.countsByReporter().forEach(counts::put);
        ArrayNode days = call.putArray("days");
        evidence.seenDays().forEach(days::add);
        return call;
    }

    /** The page as compact UTF-8 JSON (a state-directory file). */
    public static byte[] toBytes(WorkloadLedger page) {
        return toBytes(toTree(page));
    }

    static byte[] toBytes(JsonNode tree) {
        try {
            return JSON.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a ledger tree always serializes", e);
        }
    }

    /** Reads a page from JSON text; {@code where} names the file for messages. */
    public static WorkloadLedger fromBytes(byte[] json, String where) {
        if (json.length == 0) {
            throw new LedgerFormatException(where + ": empty (0 bytes), not a ledger page");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String position = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new LedgerFormatException(where + ": " + position + e.getOriginalMessage());
        } catch (IOException e) {
            throw new LedgerFormatException(where + ": " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new LedgerFormatException(where + ": no JSON value, not a ledger page");
        }
        return fromTree(tree, where, "");
    }

    /**
     * Reads a page from a tree; {@code where} names the file or object and {@code pathPrefix} the tree's own
     * path in it ({@code spec} for a custom resource, empty for a file).
     */
    public static WorkloadLedger fromTree(JsonNode tree, String where, String pathPrefix) {
        return new PageReader(where, pathPrefix).read(tree);
    }

    /** Serialized size of one call's entry, in bytes (for stores that bound an object's size). */
    static int sizeOf(CallEvidence evidence) {
        return toBytes(callTree(evidence)).length;
    }

    /** Reads one page, each failure naming the JSON path where it happened. */
    private static final class PageReader {
        private final String where;
        private final String prefix;

        PageReader(String where, String prefix) {
            this.where = where;
            this.prefix = prefix;
        }

        WorkloadLedger read(JsonNode root) {
            requireObject(root, "");
            JsonNode version = root.get("formatVersion");
            if (version == null || !version.canConvertToInt()) {
                throw error("formatVersion", "missing or not a whole number (this meshpilot writes "
                        + FORMAT_VERSION + ")");
            }
            if (version.intValue() > FORMAT_VERSION || version.intValue() < 1) {
                throw error("formatVersion", "format " + version.intValue()
                        + " is not one this meshpilot reads (it reads 1 to " + FORMAT_VERSION
                        + "); a newer meshpilot wrote it?");
            }
            JsonNode workload = root.get("workload");
            requireObject(workload, "workload");
            WorkloadKey key;
            try {
                key = new WorkloadKey(text(workload, "workload", "namespace"), text(workload, "workload", "name"));
            } catch (IllegalArgumentException e) {
                throw error("workload", e.getMessage());
            }
            Map<EvidenceSource, Instant> reported = new EnumMap<>(EvidenceSource.class);
            JsonNode lastReported = root.path("lastReported");
            if (!lastReported.isMissingNode()) {
                requireObject(lastReported, "lastReported");
                lastReported.fields().forEachRemaining(e -> reported.put(
                        source(e.getKey(), "lastReported"), instant(e.getValue(), "lastReported." + e.getKey())));
            }
            JsonNode calls = root.path("calls");
            TreeMap<Destination, CallEvidence> evidence = new TreeMap<>();
            if (!calls.isMissingNode()) {
                if (!calls.isArray()) {
                    throw error("calls", "must be an array, got " + calls.getNodeType().name().toLowerCase(Locale.ROOT));
                }
                for (int i = 0; i < calls.size(); i++) {
                    CallEvidence call = call(calls.get(i), "calls[" + i + "]");
                    evidence.merge(call.destination(), call, CallEvidence::merge);
                }
            }
            return new WorkloadLedger(key, evidence, reported);
        }

        private CallEvidence call(JsonNode call, String path) {
            requireObject(call, path);
            JsonNode port = call.get("port");
            if (port == null || !port.canConvertToInt() || port.intValue() < 0 || port.intValue() > 65_535) {
                throw error(path + ".port", "must be a port number 0 to 65535, got " + port);
            }
            Destination destination;
            try {
                destination = new Destination(text(call, path, "host"), port.intValue());
            } catch (IllegalArgumentException e) {
                throw error(path + ".host", e.getMessage());
            }
            Set<CallProtocol> protocols = EnumSet.noneOf(CallProtocol.class);
            for (JsonNode p : array(call, path, "proto")) {
                protocols.add(protocol(p, path + ".proto"));
            }
            Set<EvidenceSource> sources = EnumSet.noneOf(EvidenceSource.class);
            for (JsonNode s : array(call, path, "src")) {
                sources.add(source(s.asText(), path + ".src"));
            }
            Instant first = instant(call.get("first"), path + ".first");
            Instant last = instant(call.get("last"), path + ".last");
            TreeMap<String, Long> counts = new TreeMap<>();
            JsonNode countsNode = call.path("counts");
            if (!countsNode.isMissingNode()) {
                requireObject(countsNode, path + ".counts");
                countsNode.fields().forEachRemaining(e -> {
                    if (!e.getValue().canConvertToLong() || e.getValue().longValue() < 0) {
                        throw error(path + ".counts." + e.getKey(), "must be a count, got " + e.getValue());
                    }
                    counts.put(e.getKey(), e.getValue().longValue());
                });
            }
            TreeSet<Long> days = new TreeSet<>();
            for (JsonNode d : array(call, path, "days")) {
                if (!d.canConvertToLong()) {
                    throw error(path + ".days", "must hold epoch days, got " + d);
                }
                days.add(d.longValue());
            }
            if (last.isBefore(first)) {
                throw error(path + ".last", "is before first (" + first + ")");
            }
            return new CallEvidence(destination, protocols, sources, first, last, counts, days);
        }

        private CallProtocol protocol(JsonNode p, String path) {
            try {
                return CallProtocol.valueOf(p.asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw error(path, "unknown protocol '" + p.asText() + "' (known: http, grpc, tcp)");
            }
        }

        private EvidenceSource source(String label, String path) {
            try {
                return EvidenceSource.fromLabel(label);
            } catch (IllegalArgumentException e) {
                throw error(path, e.getMessage());
            }
        }

        private Instant instant(JsonNode node, String path) {
            if (node == null || !node.isTextual()) {
                throw error(path, "must be an RFC 3339 time such as 2026-01-31T12:00:00Z, got " + node);
            }
            try {
                return Instant.parse(node.asText());
            } catch (DateTimeParseException e) {
                throw error(path, "\"" + node.asText() + "\" is not an RFC 3339 time such as 2026-01-31T12:00:00Z");
            }
        }

        private Iterable<JsonNode> array(JsonNode parent, String path, String name) {
            JsonNode node = parent.path(name);
            if (node.isMissingNode()) {
                return java.util.List.of();
            }
            if (!node.isArray()) {
                throw error(path + "." + name, "must be an array, got " + node);
            }
            return node;
        }

        private String text(JsonNode parent, String path, String name) {
            JsonNode node = parent.get(name);
            if (node == null || !node.isTextual()) {
                throw error(path + "." + name, "must be a string, got " + node);
            }
            return node.asText();
        }

        private void requireObject(JsonNode node, String path) {
            if (node == null || !node.isObject()) {
                throw error(path, "must be an object, got " + (node == null ? "nothing"
                        : node.getNodeType().name().toLowerCase(Locale.ROOT)));
            }
        }

        private LedgerFormatException error(String path, String message) {
            String full = prefix.isEmpty() ? path : path.isEmpty() ? prefix : prefix + "." + path;
            return new LedgerFormatException(where + ": " + (full.isEmpty() ? "" : full + ": ") + message);
        }
    }

}
