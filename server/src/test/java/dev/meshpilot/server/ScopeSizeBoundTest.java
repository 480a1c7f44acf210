package dev.meshpilot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshpilot.server.push.PushSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bound on services per proxy scope ({@code --max-scope-services}): a proxy whose scope holds more services is
 * reported (a located warning naming the proxy and where its scope comes from, and a counter) and still served.
 */
class ScopeSizeBoundTest {

    @TempDir
    Path dir;

    @Test
    void proxyWithMoreServicesThanTheBound_isReportedAndStillServed() throws Exception {
        copyBookinfo();
        StringBuilder warnings = new StringBuilder();
        Logger logger = Logger.getLogger("dev.meshpilot.server.push.ScopeSizeWatch");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (warnings) {
                    warnings.append(record.getMessage()).append('\n');
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (MeshpilotServer server = MeshpilotServer.start(new ServerOptions(dir, "127.0.0.1", 0, "127.0.0.1", 0,
                "istio-system", new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1), 2), 4));
             EnvoyLikeClient client = new EnvoyLikeClient(server.xdsPort(), "productpage-v1-0.default")) {
            client.awaitInitialConfig();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(metrics(server)).contains("meshpilot_scope_services_over_bound_total 1.0"));
            synchronized (warnings) {
                assertThat(warnings.toString()).contains("proxy productpage-v1-0.default holds 4 services, more than "
                        + "--max-scope-services 2", "no Sidecar (Istio's default");
            }
            assertThat(get(server, "/debug/config_dump?proxyID=productpage-v1-0.default")).as("served whole")
                    .contains("outbound|9080||details.default.svc.cluster.local",
                            "outbound|9080||reviews.default.svc.cluster.local",
                            "outbound|9080||ratings.default.svc.cluster.local");
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void proxyWithinTheBound_isNotReported() throws Exception {
        copyBookinfo();
        try (MeshpilotServer server = MeshpilotServer.start(new ServerOptions(dir, "127.0.0.1", 0, "127.0.0.1", 0,
                "istio-system", new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)), 4));
             EnvoyLikeClient client = new EnvoyLikeClient(server.xdsPort(), "productpage-v1-0.default")) {
            client.awaitInitialConfig();
            assertThat(metrics(server)).contains("meshpilot_scope_services_over_bound_total 0.0");
        }
    }

    private void copyBookinfo() throws IOException {
        Path bookinfo = Path.of(System.getProperty("meshpilot.repo.root", "..")).resolve("examples/bookinfo");
        try (Stream<Path> files = Files.list(bookinfo)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
    }

    private static String metrics(MeshpilotServer server) throws Exception {
        return get(server, "/metrics");
    }

    private static String get(MeshpilotServer server, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.debugAddress().getPort() + path);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
