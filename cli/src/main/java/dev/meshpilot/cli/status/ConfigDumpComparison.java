package dev.meshpilot.cli.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.meshpilot.xds.json.XdsTypeRegistry;
import io.envoyproxy.envoy.admin.v3.BootstrapConfigDump;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.admin.v3.ScopedRoutesConfigDump;
import io.envoyproxy.envoy.admin.v3.SecretsConfigDump;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code proxy-status POD.NS}: the config dump the control plane holds for a proxy against the one the proxy's
 * Envoy reports, compared as istioctl's comparator does (istioctl/pkg/writer/compare): dynamic clusters, listeners
 * (active state only) and route configurations, each without versions and update times, sorted by name (virtual
 * hosts too), printed as indented JSON and diffed with 7 lines of context; {@code Clusters Match} /
 * {@code Clusters Don't Match} plus the diff, then listeners, then routes with RDS's last load time.
 *
 * <p>The comparison is over JSON trees, not protos, so an Envoy dump holding extension types meshpilot has no
 * descriptor for (Istio's filters) still compares. Envoy's admin API prints proto field names (snake_case) and
 * meshpilot camelCase: every key on both sides is read in lowerCamelCase.
 */
final class ConfigDumpComparison {
    static final int CONTEXT = 7;
    private static final String ADMIN = "type.googleapis.com/envoy.admin.v3.";
    private static final String CLUSTER_TYPE = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final String LISTENER_TYPE = "type.googleapis.com/envoy.config.listener.v3.Listener";
    private static final String ROUTE_TYPE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RFC1123 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss zzz",
            Locale.US);
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(
            JsonFormat.TypeRegistry.newBuilder().add(XdsTypeRegistry.types())
                    .add(BootstrapConfigDump.getDescriptor()).add(ClustersConfigDump.getDescriptor())
                    .add(ListenersConfigDump.getDescriptor()).add(RoutesConfigDump.getDescriptor())
                    .add(ScopedRoutesConfigDump.getDescriptor()).add(SecretsConfigDump.getDescriptor()).build());

    private ConfigDumpComparison() {
    }

    /** The {@code configs} of the control plane's answer, as JSON. */
    static ArrayNode controlPlaneConfigs(List<Any> configs) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Any any : configs) {
            try {
                out.add(JSON.readTree(PRINTER.print(any)));
            } catch (InvalidProtocolBufferException | JsonProcessingException e) {
                throw new IllegalArgumentException("the control plane's config dump holds " + any.getTypeUrl()
                        + ", which cannot be printed: " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * The {@code configs} of an Envoy {@code /config_dump} body.
     *
     * @throws IllegalArgumentException when it is not JSON or has no {@code configs} array
     */
    static ArrayNode envoyConfigs(String envoyDump) {
        JsonNode root;
        try {
            root = JSON.readTree(envoyDump);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.path("configs").isArray()) {
            throw new IllegalArgumentException("not an Envoy config dump: no \"configs\" array at the top");
        }
        return (ArrayNode) root.get("configs");
    }

    /** istioctl's {@code Diff()} output: clusters, listeners, routes. */
    static String compare(ArrayNode controlPlane, ArrayNode envoy, ZoneId zone) {
        ArrayNode cp = (ArrayNode) camel(controlPlane);
        ArrayNode ev = (ArrayNode) camel(envoy);
        StringBuilder out = new StringBuilder();
        section(out, "Clusters", clusters(cp), clusters(ev), "");
        section(out, "Listeners", listeners(cp), listeners(ev), "");
        String loaded = lastRouteLoad(ev).map(t -> " (RDS last loaded at " + RFC1123.format(t.atZone(zone)) + ")")
                .orElse("");
        section(out, "Routes", routes(cp), routes(ev), loaded);
        return out.toString();
    }

    private static void section(StringBuilder out, String what, String istiod, String envoy, String suffix) {
        String diff = UnifiedDiff.of("Istiod " + what, lines(istiod), "Envoy " + what, lines(envoy), CONTEXT);
        if (diff.isEmpty()) {
            out.append(what).append(" Match").append(suffix).append('\n');
        } else {
            out.append(what).append(" Don't Match").append(suffix).append('\n').append(diff).append('\n');
        }
    }

    private static String clusters(ArrayNode configs) {
        Optional<JsonNode> dump = section(configs, "ClustersConfigDump");
        if (dump.isEmpty()) {
            return "config dump has no configuration type " + ADMIN + "ClustersConfigDump";
        }
        List<ObjectNode> active = objects(dump.get().path("dynamicActiveClusters"));
        for (ObjectNode c : active) {
            c.remove(List.of("versionInfo", "lastUpdated"));
            if (c.get("cluster") instanceof ObjectNode cluster) {
                cluster.put("@type", CLUSTER_TYPE);
            }
        }
        active.sort(Comparator.comparing(c -> c.path("cluster").path("name").asText("")));
        return wrap("dynamicActiveClusters", active);
    }

    private static String listeners(ArrayNode configs) {
        Optional<JsonNode> dump = section(configs, "ListenersConfigDump");
        if (dump.isEmpty()) {
            return "config dump has no configuration type " + ADMIN + "ListenersConfigDump";
        }
        List<ObjectNode> active = new ArrayList<>();
        for (ObjectNode l : objects(dump.get().path("dynamicListeners"))) {
            l.remove("drainingState");
            if (l.get("activeState") instanceof ObjectNode state) {
                state.remove(List.of("versionInfo", "lastUpdated"));
                if (state.get("listener") instanceof ObjectNode listener) {
                    listener.put("@type", LISTENER_TYPE);
                }
                l.remove("name");
                active.add(l);
            }
        }
        active.sort(Comparator.comparing(l -> l.path("activeState").path("listener").path("name").asText("")));
        return wrap("dynamicListeners", active);
    }

    private static String routes(ArrayNode configs) {
        Optional<JsonNode> dump = section(configs, "RoutesConfigDump");
        if (dump.isEmpty()) {
            return "config dump has no configuration type " + ADMIN + "RoutesConfigDump";
        }
        List<ObjectNode> dynamic = objects(dump.get().path("dynamicRouteConfigs"));
        for (ObjectNode r : dynamic) {
            r.remove(List.of("versionInfo", "lastUpdated"));
            if (r.get("routeConfig") instanceof ObjectNode route) {
                route.put("@type", ROUTE_TYPE);
                if (route.get("virtualHosts") instanceof ArrayNode hosts) {
                    List<JsonNode> sorted = new ArrayList<>();
                    hosts.forEach(sorted::add);
                    sorted.sort(Comparator.comparing(h -> h.path("name").asText("")));
                    hosts.removeAll();
                    hosts.addAll(sorted);
                }
            }
        }
        dynamic.sort(Comparator.comparing(r -> r.path("routeConfig").path("name").asText("")));
        return wrap("dynamicRouteConfigs", dynamic);
    }

    /** The newest {@code lastUpdated} of Envoy's dynamic route configs, as istioctl reports it. */
    private static Optional<Instant> lastRouteLoad(ArrayNode envoy) {
        Instant newest = null;
        for (JsonNode r : section(envoy, "RoutesConfigDump").map(d -> d.path("dynamicRouteConfigs"))
                .orElse(JsonNodeFactory.instance.arrayNode())) {
            try {
                Instant t = Instant.parse(r.path("lastUpdated").asText(""));
                if (t.isAfter(Instant.EPOCH) && (newest == null || t.isAfter(newest))) {
                    newest = t;
                }
            } catch (DateTimeParseException e) {
                // no or unreadable time: not counted, as istioctl skips a missing one
            }
        }
        return Optional.ofNullable(newest);
    }

    private static Optional<JsonNode> section(ArrayNode configs, String dumpType) {
        for (JsonNode c : configs) {
            if ((ADMIN + dumpType).equals(c.path("@type").asText())) {
                return Optional.of(c.deepCopy());
            }
        }
        return Optional.empty();
    }

    private static List<ObjectNode> objects(JsonNode array) {
        List<ObjectNode> out = new ArrayList<>();
        array.forEach(n -> {
            if (n instanceof ObjectNode o) {
                out.add(o);
            }
        });
        return out;
    }

    private static String wrap(String field, List<ObjectNode> items) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        if (!items.isEmpty()) {
            root.putArray(field).addAll(items);
        }
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("    ", "\n"))
                .withArrayIndenter(new DefaultIndenter("    ", "\n"))
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        try {
            return JSON.writer(pretty).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> lines(String text) {
        return List.of(text.split("\n", -1));
    }

    /** Every object key in lowerCamelCase ({@code dynamic_active_clusters} → {@code dynamicActiveClusters}). */
    static JsonNode camel(JsonNode node) {
        if (node instanceof ObjectNode o) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                out.set(camelKey(e.getKey()), camel(e.getValue()));
            }
            return out;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            a.forEach(n -> out.add(camel(n)));
            return out;
        }
        return node;
    }

    private static String camelKey(String key) {
        if (key.startsWith("@") || key.indexOf('_') < 0) {
            return key;
        }
        StringBuilder out = new StringBuilder(key.length());
        boolean upper = false;
        for (char ch : key.toCharArray()) {
            if (ch == '_') {
                upper = out.length() > 0;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }
}
