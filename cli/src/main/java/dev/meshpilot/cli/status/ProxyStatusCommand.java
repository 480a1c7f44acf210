package dev.meshpilot.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.meshpilot.cli.ExitCodes;
import dev.meshpilot.cli.UserException;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.status.v3.ClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code meshpilot proxy-status}: istioctl's sync table for every connected proxy. By default it asks the xDS port
 * for {@code istio.io/debug/syncz} over ADS, the path {@code istioctl proxy-status} takes with istiod; with
 * {@code --server URL} it reads the debug port's {@code /debug/syncz} instead. Both give the same rows.
 * {@code proxy-status POD[.NS] --file DUMP} is istioctl's single-proxy view ({@link ConfigDumpComparison}).
 */
@Command(name = "proxy-status", aliases = "ps", mixinStandardHelpOptions = true,
        description = {"Show, per connected proxy, its control plane, version and subscribed xDS types; with -v 1, "
                + "per type whether what was sent is acknowledged (SYNCED, STALE, NOT SENT, ERROR).",
                "Reads istio.io/debug/syncz over ADS from --xds-address (as istioctl does), or /debug/syncz from "
                        + "--server. The debug types are served only to clients on a loopback address.",
                "proxy-status POD[.NS] --file DUMP compares what meshpilot holds for that proxy "
                        + "(istio.io/debug/config_dump) with its Envoy's config dump, as istioctl does."})
public final class ProxyStatusCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String SYNCZ = "istio.io/debug/syncz";
    static final String CONFIG_DUMP = "istio.io/debug/config_dump";

    @Spec
    CommandSpec spec;

    @Option(names = "--xds-address", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:15010",
            description = "meshpilot's xDS port, asked for istio.io/debug/syncz (default: ${DEFAULT-VALUE}).")
    String xdsAddress;

    @Option(names = "--server", paramLabel = "URL",
            description = "Read /debug/syncz from meshpilot's debug endpoint instead, e.g. http://127.0.0.1:15014.")
    String server;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (short is the same), json or yaml: the syncz answer as is "
                    + "(default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = {"-v", "--verbosity"}, paramLabel = "N", defaultValue = "0",
            description = "0: subscribed types per proxy; 1: a status column per xDS type (default: ${DEFAULT-VALUE}).")
    int verbosity;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "Only proxies of this namespace; with POD, the pod's namespace (default: default).")
    String namespace;

    @Parameters(arity = "0..1", paramLabel = "POD[.NS]",
            description = "Compare what meshpilot holds for this proxy with its Envoy's config dump (--file).")
    String proxy;

    @Option(names = "--file", paramLabel = "FILE",
            description = "With POD: the proxy's Envoy config dump (its admin /config_dump JSON; - for stdin).")
    String file;

    @Override
    public Integer call() {
        if (!List.of("table", "short", "json", "yaml").contains(output)) {
            throw new UserException("-o " + output + ": expected table, json or yaml");
        }
        if (verbosity < 0 || verbosity > 1) {
            throw new UserException("-v " + verbosity + ": expected 0 or 1");
        }
        if (server != null && spec.commandLine().getParseResult().hasMatchedOption("--xds-address")) {
            throw new UserException("--server and --xds-address name two ways to the same data: give one");
        }
        if (proxy != null) {
            return syncDiff();
        }
        if (file != null) {
            throw new UserException("--file is the config dump of one proxy: name it, proxy-status POD[.NS] --file FILE");
        }
        return server != null ? fromDebugHttp() : fromXds();
    }

    /**
     * istioctl's {@code proxy-status POD}: meshpilot's config dump of the proxy (istio.io/debug/config_dump over
     * ADS, or /debug/config_dump with --server) against the proxy's own, read from --file (istioctl fetches it
     * through a Kubernetes port-forward to the pod's admin port, which meshpilot does not do).
     */
    private Integer syncDiff() {
        if (file == null) {
            throw new UserException("proxy-status " + proxy + " compares with the proxy's own config dump: give it "
                    + "with --file FILE (Envoy's admin /config_dump JSON, - for stdin)");
        }
        String proxyId = proxy.contains(".") ? proxy : proxy + "." + (namespace == null ? "default" : namespace);
        String envoyDump;
        try {
            envoyDump = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
        } catch (IOException | java.io.UncheckedIOException | java.nio.file.InvalidPathException e) {
            throw new UserException("--file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        ArrayNode envoy;
        try {
            envoy = ConfigDumpComparison.envoyConfigs(envoyDump);
        } catch (IllegalArgumentException e) {
            throw new UserException("--file " + file + ": " + e.getMessage());
        }
        ArrayNode held;
        if (server != null) {
            Optional<String> body = httpGet("/debug/config_dump?proxyID="
                    + URLEncoder.encode(proxyId, StandardCharsets.UTF_8));
            if (body.isEmpty()) {
                return ExitCodes.RUNTIME_FAILURE;
            }
            try {
                held = ConfigDumpComparison.envoyConfigs(body.get());
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("error: " + server + " answered a config dump that is "
                        + e.getMessage());
                return ExitCodes.RUNTIME_FAILURE;
            }
        } else {
            HostPort address = HostPort.parse(xdsAddress);
            DiscoveryResponse response;
            try {
                response = IstioDebugClient.request(address.host(), address.port(), CONFIG_DUMP,
                        List.of(proxyId), TIMEOUT);
            } catch (IstioDebugClient.DebugXdsException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return ExitCodes.RUNTIME_FAILURE;
            }
            if (response.getResourcesCount() == 0) {
                spec.commandLine().getErr().println("error: proxy " + proxyId + " is not connected to meshpilot at "
                        + xdsAddress);
                return ExitCodes.RUNTIME_FAILURE;
            }
            held = ConfigDumpComparison.controlPlaneConfigs(response.getResourcesList());
        }
        print(ConfigDumpComparison.compare(held, envoy, ZoneId.systemDefault()));
        return ExitCodes.OK;
    }

    private Integer fromXds() {
        HostPort address = HostPort.parse(xdsAddress);
        DiscoveryResponse response;
        try {
            response = IstioDebugClient.request(address.host(), address.port(), SYNCZ, List.of(), TIMEOUT);
        } catch (IstioDebugClient.DebugXdsException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.RUNTIME_FAILURE;
        }
        List<ProxySync> rows;
        try {
            rows = SynczResults.fromDiscovery(response);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + xdsAddress + ": " + e.getMessage());
            return ExitCodes.RUNTIME_FAILURE;
        }
        if (output.equals("json") || output.equals("yaml")) {
            print(machineReadable(onlyNamespace(response)));
        } else {
            print(table(rows.stream().filter(r -> namespace == null || namespace.equals(r.namespace())).toList()));
        }
        return ExitCodes.OK;
    }

    private Integer fromDebugHttp() {
        Optional<String> answer = httpGet("/debug/syncz"
                + (namespace == null ? "" : "?namespace=" + URLEncoder.encode(namespace, StandardCharsets.UTF_8)));
        if (answer.isEmpty()) {
            return ExitCodes.RUNTIME_FAILURE;
        }
        String body = answer.get();
        if (output.equals("json") || output.equals("yaml")) {
            print(output.equals("json") ? body : yaml(body));
            return ExitCodes.OK;
        }
        try {
            JsonNode syncz = new ObjectMapper().readTree(body);
            print(table(SynczResults.fromDebugJson(syncz)));
            DuplicateStreams.warnings(syncz).forEach(spec.commandLine().getErr()::println);
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: " + server + "/debug/syncz did not answer JSON: "
                    + e.getMessage());
            return ExitCodes.RUNTIME_FAILURE;
        }
        return ExitCodes.OK;
    }

    /** The body of a 200 answer from the debug port; empty after printing why there is none. */
    private Optional<String> httpGet(String pathAndQuery) {
        URI uri;
        try {
            String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
            uri = URI.create(base + pathAndQuery);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
        } catch (IllegalArgumentException e) {
            throw new UserException("--server " + server + ": not a URL like http://127.0.0.1:15014");
        }
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                spec.commandLine().getErr().println("error: " + uri + " answered " + response.statusCode() + ": "
                        + response.body().strip());
                return Optional.empty();
            }
            return Optional.of(response.body());
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: cannot reach meshpilot at " + server + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private String table(List<ProxySync> rows) {
        return verbosity > 0 ? StatusTable.renderVerbose(rows, Clock.systemUTC().instant())
                : StatusTable.render(rows, Clock.systemUTC().instant());
    }

    /** istioctl filters the syncz answer's ClientConfigs by their node's NAMESPACE before printing it. */
    private DiscoveryResponse onlyNamespace(DiscoveryResponse response) {
        if (namespace == null) {
            return response;
        }
        DiscoveryResponse.Builder filtered = response.toBuilder().clearResources();
        for (Any any : response.getResourcesList()) {
            try {
                var ns = any.unpack(ClientConfig.class).getNode().getMetadata().getFieldsMap().get("NAMESPACE");
                if (ns != null && namespace.equals(ns.getStringValue())) {
                    filtered.addResources(any);
                }
            } catch (InvalidProtocolBufferException e) {
                // not a ClientConfig: fromDiscovery already refused such an answer
            }
        }
        return filtered.build();
    }

    private String machineReadable(DiscoveryResponse response) {
        String json;
        try {
            json = JsonFormat.printer().usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
                    .add(ClientConfig.getDescriptor()).build()).print(response);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a syncz answer holds a type missing from the registry", e);
        }
        return output.equals("json") ? json : yaml(json);
    }

    private static String yaml(String json) {
        try {
            return new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)).writeValueAsString(new ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw new IllegalStateException("JSON that does not read back", e);
        }
    }

    private void print(String text) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush();
    }
}
