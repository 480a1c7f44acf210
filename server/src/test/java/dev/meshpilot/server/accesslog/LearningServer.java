package dev.meshpilot.server.accesslog;

import dev.meshpilot.server.MeshpilotServer;
import dev.meshpilot.server.ServerOptions;
import dev.meshpilot.server.learn.LearningOptions;
import dev.meshpilot.server.push.PushSettings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A real server on a copy of the bundled bookinfo mesh, and what tests read from its debug port. */
final class LearningServer {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LearningServer() {
    }

    static void copyBookinfo(Path dir) throws IOException {
        Path bookinfo = Path.of(System.getProperty("meshpilot.repo.root", "..")).resolve("examples/bookinfo");
        try (Stream<Path> files = Files.list(bookinfo)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
    }

    static MeshpilotServer start(Path dir, LearningOptions learning) throws IOException {
        return MeshpilotServer.start(new ServerOptions(dir, "127.0.0.1", 0, "127.0.0.1", 0, "istio-system",
                new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)), 4).withLearning(learning));
    }

    static HttpResponse<String> get(MeshpilotServer server, String pathAndQuery) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.debugAddress().getPort() + pathAndQuery);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A sample of {@code /metrics}: the value of {@code name} with {@code label="value"}, 0 when absent. */
    static double metric(MeshpilotServer server, String name, String label, String value) throws Exception {
        String body = get(server, "/metrics").body();
        Pattern p = label == null
                ? Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$")
                : Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(label + "=\"" + value + "\"")
                + "[^}]*\\} (\\S+)$");
        Matcher m = p.matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static double dropped(MeshpilotServer server, DropReason reason) throws Exception {
        return metric(server, "meshpilot_learning_dropped_total", "reason", reason.label());
    }
}
