package dev.meshpilot.xds.dump;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads an Envoy admin config dump ({@code /config_dump}, with or without {@code ?include_eds};
 * {@code istioctl proxy-config all -o json}; {@code meshpilot proxy-config all -o json}) as a stream: Jackson's
 * {@link JsonParser} walks the file and only one resource at a time is turned into a tree and parsed into its
 * proto (java-control-plane's types, through {@link JsonFormat} with {@link DumpTypeRegistry}, unknown fields
 * ignored, unknown {@code Any} types kept opaque by {@link UnknownAnys}), so memory stays bounded by the largest
 * resource however large the dump. {@code configs} may come in any order; entries of other {@code @type}s are
 * skipped and counted. Field names may be snake_case (Envoy) or lowerCamelCase (proto3 JSON printers).
 */
public final class ConfigDumpReader {

    private static final String TYPE_PREFIX = "type.googleapis.com/";
    private static final Set<String> READ_TYPES = Set.of(
            "envoy.admin.v3.BootstrapConfigDump", "envoy.admin.v3.ClustersConfigDump",
            "envoy.admin.v3.ListenersConfigDump", "envoy.admin.v3.RoutesConfigDump",
            "envoy.admin.v3.EndpointsConfigDump", "envoy.admin.v3.SecretsConfigDump");
    /** Top-level fields of ztunnel's {@code /config_dump}, which is not an Envoy dump. */
    private static final Set<String> ZTUNNEL_FIELDS = Set.of("workloads", "services", "policies", "certificates",
            "workload_state", "workloadState", "staticConfig", "static_config");

    private static final JsonFormat.Parser PARSER = JsonFormat.parser()
            .usingTypeRegistry(DumpTypeRegistry.get()).ignoringUnknownFields();
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(5_000)
                    .maxStringLength(200_000_000)
                    .build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private final String source;
    private final DumpVisitor visitor;
    private final UnknownAnys unknownAnys = new UnknownAnys();
    private final Map<String, Integer> skipped = new TreeMap<>();
    private int configs;
    private int warming;
    private boolean hasEndpoints;

    private ConfigDumpReader(String source, DumpVisitor visitor) {
        this.source = source;
        this.visitor = visitor;
    }

    /** Reads {@code file}, handing each resource to {@code visitor}. */
    public static DumpReadResult read(Path file, DumpVisitor visitor) {
        if (Files.isDirectory(file)) {
            throw new ConfigDumpException(file + " is a directory, not a config dump file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), visitor);
        } catch (NoSuchFileException e) {
            throw new ConfigDumpException("config dump " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigDumpException("cannot read config dump " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a dump from a stream; {@code source} names it in messages. */
    public static DumpReadResult read(InputStream in, String source, DumpVisitor visitor) {
        ConfigDumpReader reader = new ConfigDumpReader(source, visitor);
        try (JsonParser parser = FACTORY.createParser(in)) {
            parser.setCodec(MAPPER);
            reader.readDump(parser);
        } catch (JsonEOFException e) {
            throw new ConfigDumpException(source + " is truncated: the JSON ends " + where(e.getLocation())
                    + " before the dump is complete", e);
        } catch (StreamReadException e) {
            if (String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
                throw new ConfigDumpException(source + " is truncated: the JSON ends " + where(e.getLocation())
                        + " before the dump is complete", e);
            }
            throw new ConfigDumpException(source + " is not valid JSON " + where(e.getLocation()) + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigDumpException("cannot read config dump " + source + ": " + e.getMessage(), e);
        }
        return new DumpReadResult(source, reader.configs, reader.skipped, reader.unknownAnys.unknownTypes(),
                reader.warming, reader.hasEndpoints);
    }

    private static String where(JsonLocation location) {
        return location == null ? "" : "at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private void readDump(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new ConfigDumpException(source + " is empty, not an Envoy config dump");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new ConfigDumpException(source + " is not an Envoy config dump: it holds a JSON "
                    + describe(first) + ", not an object with \"configs\"");
        }
        boolean sawConfigs = false;
        List<String> otherFields = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("configs".equals(name)) {
                if (value != JsonToken.START_ARRAY) {
                    throw new ConfigDumpException(source + ": \"configs\" is a JSON " + describe(value)
                            + ", not an array " + where(p.currentLocation()));
                }
                sawConfigs = true;
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t != JsonToken.START_OBJECT) {
                        throw new ConfigDumpException(source + ": configs[" + configs + "] is a JSON " + describe(t)
                                + ", not an object " + where(p.currentLocation()));
                    }
                    readConfig(p, configs++);
                }
            } else {
                otherFields.add(name);
                p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw new ConfigDumpException(source + " has content after the dump's closing brace "
                    + where(p.currentLocation()));
        }
        if (!sawConfigs) {
            boolean ztunnel = otherFields.stream().anyMatch(ZTUNNEL_FIELDS::contains);
            throw new ConfigDumpException(source + " is not an Envoy config dump: it has no top-level \"configs\""
                    + (otherFields.isEmpty() ? "" : " (its fields: " + String.join(", ", otherFields) + ")")
                    + (ztunnel ? "; this is ztunnel's config dump (workloads and services, not xDS resources): "
                    + "meshpilot reads Envoy dumps of sidecars and gateways" : ""));
        }
    }

    private void readConfig(JsonParser p, int index) throws IOException {
        String type = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = snake(p.currentName());
            JsonToken value = p.nextToken();
            String at = "configs[" + index + "]." + field;
            switch (field) {
                case "@type" -> type = p.getText();
                case "bootstrap" -> node(MAPPER.readTree(p));
                case "static_clusters" -> each(p, value, at, e -> resource(e, "cluster", Cluster::newBuilder,
                        Section.STATIC, at, (Cluster c) -> visitor.cluster(c, Section.STATIC)));
                case "dynamic_active_clusters" -> each(p, value, at, e -> resource(e, "cluster", Cluster::newBuilder,
                        Section.DYNAMIC_ACTIVE, at, (Cluster c) -> visitor.cluster(c, Section.DYNAMIC_ACTIVE)));
                case "dynamic_warming_clusters" -> each(p, value, at, e -> resource(e, "cluster",
                        Cluster::newBuilder, Section.DYNAMIC_WARMING, at,
                        (Cluster c) -> visitor.cluster(c, Section.DYNAMIC_WARMING)));
                case "static_listeners" -> each(p, value, at, e -> resource(e, "listener", Listener::newBuilder,
                        Section.STATIC, at, (Listener l) -> visitor.listener(l, Section.STATIC)));
                case "dynamic_listeners" -> each(p, value, at, e -> {
                    resource(child(e, "active_state"), "listener", Listener::newBuilder, Section.DYNAMIC_ACTIVE, at,
                            (Listener l) -> visitor.listener(l, Section.DYNAMIC_ACTIVE));
                    resource(child(e, "warming_state"), "listener", Listener::newBuilder, Section.DYNAMIC_WARMING,
                            at, (Listener l) -> visitor.listener(l, Section.DYNAMIC_WARMING));
                });
                case "static_route_configs" -> each(p, value, at, e -> resource(e, "route_config",
                        RouteConfiguration::newBuilder, Section.STATIC, at, (RouteConfiguration r) -> visitor.route(r, Section.STATIC)));
                case "dynamic_route_configs" -> each(p, value, at, e -> resource(e, "route_config",
                        RouteConfiguration::newBuilder, Section.DYNAMIC_ACTIVE, at,
                        (RouteConfiguration r) -> visitor.route(r, Section.DYNAMIC_ACTIVE)));
                case "static_endpoint_configs" -> {
                    hasEndpoints = true;
                    each(p, value, at, e -> resource(e, "endpoint_config", ClusterLoadAssignment::newBuilder,
                            Section.STATIC, at, (ClusterLoadAssignment c) -> visitor.endpoints(c, Section.STATIC)));
                }
                case "dynamic_endpoint_configs" -> {
                    hasEndpoints = true;
                    each(p, value, at, e -> resource(e, "endpoint_config", ClusterLoadAssignment::newBuilder,
                            Section.DYNAMIC_ACTIVE, at, (ClusterLoadAssignment c) -> visitor.endpoints(c, Section.DYNAMIC_ACTIVE)));
                }
                case "static_secrets" -> each(p, value, at,
                        e -> visitor.secret(child(e, "name").asText(""), Section.STATIC));
                case "dynamic_active_secrets" -> each(p, value, at,
                        e -> visitor.secret(child(e, "name").asText(""), Section.DYNAMIC_ACTIVE));
                case "dynamic_warming_secrets" -> each(p, value, at,
                        e -> visitor.secret(child(e, "name").asText(""), Section.DYNAMIC_WARMING));
                default -> p.skipChildren();
            }
        }
        String name = type == null ? "(no @type)" : type.substring(type.lastIndexOf('/') + 1);
        if (!READ_TYPES.contains(name)) {
            skipped.merge(name, 1, Integer::sum);
        }
    }

    private interface ElementHandler {
        void handle(JsonNode element);
    }

    private void each(JsonParser p, JsonToken value, String at, ElementHandler handler) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new ConfigDumpException(source + ": " + at + " is a JSON " + describe(value) + ", not an array "
                    + where(p.currentLocation()));
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode element = MAPPER.readTree(p);
            handler.handle(element);
        }
    }

    private <T extends Message> void resource(JsonNode holder, String field, Supplier<Message.Builder> builder,
                                              Section section, String at, Consumer<T> sink) {
        JsonNode resource = child(holder, field);
        if (resource == null || !resource.isObject()) {
            return;
        }
        Message.Builder b = builder.get();
        String expected = TYPE_PREFIX + b.getDescriptorForType().getFullName();
        JsonNode type = resource.get("@type");
        if (type != null && !expected.equals(type.asText())) {
            skipped.merge(type.asText().substring(type.asText().lastIndexOf('/') + 1) + " (resource)", 1,
                    Integer::sum);
            return;
        }
        if (section == Section.DYNAMIC_WARMING) {
            warming++;
        }
        ObjectNode object = (ObjectNode) resource;
        object.remove("@type");
        unknownAnys.rewrite(object);
        try {
            PARSER.merge(object.toString(), b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            JsonNode name = object.get("name") != null ? object.get("name") : child(object, "cluster_name");
            throw new ConfigDumpException(source + ": " + at + ": " + b.getDescriptorForType().getName()
                    + (name == null ? "" : " " + name.asText()) + " does not parse: " + e.getMessage(), e);
        }
        @SuppressWarnings("unchecked")
        T message = (T) b.build();
        sink.accept(message);
    }

    private void node(JsonNode bootstrap) {
        JsonNode node = bootstrap.path("node");
        JsonNode metadata = node.path("metadata");
        JsonNode build = child(node, "user_agent_build_version");
        String envoy = "";
        if (build != null) {
            JsonNode version = build.path("version");
            StringBuilder sb = new StringBuilder();
            sb.append(number(version, "major_number")).append('.').append(number(version, "minor_number"))
                    .append('.').append(number(version, "patch"));
            JsonNode md = build.path("metadata");
            appendIf(sb, "-", md.get("build.label"));
            appendIf(sb, "/", md.get("revision.status"));
            appendIf(sb, "/", md.get("build.type"));
            appendIf(sb, "/", md.get("ssl.version"));
            envoy = sb.toString();
        }
        String sha = metadata.path("ISTIO_PROXY_SHA").asText("");
        if (sha.contains(":")) {
            sha = sha.split(":", -1)[1];
        }
        visitor.node(new DumpNode(node.path("id").asText(""), metadata.path("NAME").asText(""),
                metadata.path("NAMESPACE").asText(""), metadata.path("ISTIO_VERSION").asText(""), sha, envoy));
    }

    private static long number(JsonNode version, String field) {
        JsonNode n = child(version, field);
        return n == null ? 0 : n.asLong(0);
    }

    private static void appendIf(StringBuilder sb, String separator, JsonNode value) {
        if (value != null) {
            sb.append(separator).append(value.asText(""));
        }
    }

    /** A field by its snake_case name or its lowerCamelCase JSON name. */
    private static JsonNode child(JsonNode node, String snake) {
        if (node == null) {
            return null;
        }
        JsonNode direct = node.get(snake);
        return direct != null ? direct : node.get(camel(snake));
    }

    static String snake(String name) {
        if (name.indexOf('_') >= 0 || name.chars().noneMatch(Character::isUpperCase)) {
            return name;
        }
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "end";
        }
        return switch (token) {
            case START_ARRAY -> "array";
            case START_OBJECT -> "object";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
