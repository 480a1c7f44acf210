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
import picocli.CommandLine.Spec;

import java.io.IOException;
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
 */
@Command(name = "proxy-status", aliases = "ps", mixinStandardHelpOptions = true,
        description = {"Show, per connected proxy, its control plane, version and subscribed xDS types; with -v 1, "
                + "per type whether what was sent is acknowledged (SYNCED, STALE, NOT SENT, ERROR).",
                "Reads istio.io/debug/syncz over ADS from --xds-address (as istioctl does), or /debug/syncz from "
                        + "--server. The debug types are served only to clients on a loopback address."})
public final class ProxyStatusCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String SYNCZ = "istio.io/debug/syncz";

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

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Only proxies of this namespace.")
    String namespace;

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
        return server != null ? fromDebugHttp() : fromXds();
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
        URI uri;
        try {
            String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
            uri = URI.create(base + "/debug/syncz"
                    + (namespace == null ? "" : "?namespace=" + URLEncoder.encode(namespace, StandardCharsets.UTF_8)));
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
        } catch (IllegalArgumentException e) {
            throw new UserException("--server " + server + ": not a URL like http://127.0.0.1:15014");
        }
        String body;
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                spec.commandLine().getErr().println("error: " + uri + " answered " + response.statusCode() + ": "
                        + response.body().strip());
                return ExitCodes.RUNTIME_FAILURE;
            }
            body = response.body();
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: cannot reach meshpilot at " + server + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            return ExitCodes.RUNTIME_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.RUNTIME_FAILURE;
        }
        if (output.equals("json") || output.equals("yaml")) {
            print(output.equals("json") ? body : yaml(body));
            return ExitCodes.OK;
        }
        try {
            print(table(SynczResults.fromDebugJson(new ObjectMapper().readTree(body))));
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: " + uri + " did not answer JSON: " + e.getMessage());
            return ExitCodes.RUNTIME_FAILURE;
        }
        return ExitCodes.OK;
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
