package dev.meshpilot.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.cli.ExitCodes;
import dev.meshpilot.cli.UserException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code meshpilot proxy-status}: istioctl's sync table for every connected proxy, read from the server's
 * {@code /debug/syncz}.
 */
@Command(name = "proxy-status", mixinStandardHelpOptions = true,
        description = "Show, per connected proxy and xDS type, whether what was sent is acknowledged "
                + "(SYNCED, STALE, NOT SENT, ERROR).")
public final class ProxyStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:15014",
            description = "The meshpilot debug endpoint (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "short",
            description = "short (a table) or json (the server's sync status as is) (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "Only proxies of this namespace.")
    String namespace;

    @Override
    public Integer call() {
        if (!output.equals("short") && !output.equals("json")) {
            throw new UserException("-o " + output + ": expected short or json");
        }
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
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
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
        PrintWriter out = spec.commandLine().getOut();
        if (output.equals("json")) {
            out.print(body.endsWith("\n") ? body : body + "\n");
        } else {
            try {
                JsonNode syncz = new ObjectMapper().readTree(body);
                out.print(StatusTable.render(syncz, Clock.systemUTC().instant()));
                DuplicateStreams.warnings(syncz).forEach(spec.commandLine().getErr()::println);
            } catch (IOException e) {
                spec.commandLine().getErr().println("error: " + uri + " did not answer JSON: " + e.getMessage());
                return ExitCodes.RUNTIME_FAILURE;
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
