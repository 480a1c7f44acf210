package dev.meshpilot.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.kube.directory.WatchSettings;
import dev.meshpilot.server.push.PushSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real server on a copy of examples/shared-cluster with a real Envoy-like client: bad reads of the registry
 * directory leave the proxy's config exactly as it was (same {@code /debug/config_dump}), and {@code /ready} says
 * when the directory itself is gone.
 */
class LastGoodMeshServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PROXY = "productpage-v1-0.bookinfo";
    /** Longer than the default so that "still held" is checked well inside the window on a loaded machine. */
    private static final Duration SETTLE = Duration.ofSeconds(6);

    @TempDir
    Path parent;
    private Path dir;
    private MeshpilotServer server;
    private EnvoyLikeClient client;
    private String dumpBefore;
    private int clustersBefore;

    @BeforeEach
    void start() throws Exception {
        dir = Files.createDirectory(parent.resolve("mesh"));
        Path shared = Path.of(System.getProperty("meshpilot.repo.root", "..")).resolve("examples/shared-cluster");
        try (Stream<Path> files = Files.list(shared)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        WatchSettings watch = WatchSettings.DEFAULT.withPollInterval(Duration.ofMillis(50)).withSettleWindow(SETTLE);
        server = MeshpilotServer.start(new ServerOptions(dir, "127.0.0.1", 0, "127.0.0.1", 0, "istio-system",
                new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)), 4)
                .withRegistry(new RegistryWatchOptions(watch, 100)));
        // ready: the initial load is served and the warm start is over, so the proxy's first config is the mesh's
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/ready").statusCode() == 200);
        client = new EnvoyLikeClient(server.xdsPort(), PROXY);
        client.awaitInitialConfig();
        await().atMost(Duration.ofSeconds(15)).until(() -> get("/debug/config_dump?proxyID=" + PROXY).statusCode()
                == 200);
        dumpBefore = dump();
        clustersBefore = clusters(dumpBefore);
        assertThat(clustersBefore).isGreaterThan(4);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.debugAddress().getPort() + pathAndQuery);
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String dump() throws Exception {
        return get("/debug/config_dump?proxyID=" + PROXY).body();
    }

    private static int clusters(String dump) throws IOException {
        JsonNode root = JSON.readTree(dump);
        return root.get("configs").get(1).get("dynamicActiveClusters").size();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The proxy's config stays byte-for-byte what it was for {@code during}. */
    private void assertConfigUnchangedFor(Duration during, String testCase) throws Exception {
        String hash = sha256(dumpBefore);
        await().during(during).atMost(during.plusSeconds(10)).until(() -> sha256(dump()).equals(hash));
        System.out.printf("server, %s: proxy %s clusters %d -> %d, config_dump sha256 %s unchanged%n", testCase,
                PROXY, clustersBefore, clusters(dump()), hash.substring(0, 12));
    }

    private static void truncate(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.flush();
        }
    }

    @Test
    void truncatedServicesFile_leavesTheProxysConfigUnchanged_untilTheSettleWindowHasPassed() throws Exception {
        truncate(dir.resolve("services.yaml"));

        assertConfigUnchangedFor(Duration.ofSeconds(2), "truncate services.yaml to 0 bytes");

        await().atMost(SETTLE.plusSeconds(15)).until(() -> clusters(dump()) < clustersBefore);
        System.out.printf("server, truncated file left empty for the settle window: clusters %d -> %d%n",
                clustersBefore, clusters(dump()));
    }

    @Test
    void garbageWrittenInPlace_leavesTheProxysConfigUnchanged() throws Exception {
        Files.writeString(dir.resolve("services.yaml"), "\u0000garbage: [ {{ ::", StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);

        assertConfigUnchangedFor(Duration.ofSeconds(2), "in-place garbage");
    }

    @Test
    void directoryRemoved_leavesTheProxysConfigUnchanged_andReadyFailsWithTheReason() throws Exception {
        // The directory vanishes at once (moved away, then deleted), as after an atomic swap or an
        // `rm -rf` seen between two scans does. Deleting file by file let the watcher sometimes confirm one file's
        // deletion over two scans before the directory went: a legitimate change, not the case under test.
        Path gone = dir.resolveSibling(dir.getFileName() + "-removed");
        Files.move(dir, gone);
        try (Stream<Path> walk = Files.walk(gone)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> get("/ready").statusCode() == 503);
        assertThat(get("/ready").body()).startsWith("not ready\nsource: registry directory does not exist; keeping "
                + "the last good mesh (");
        assertConfigUnchangedFor(Duration.ofSeconds(1), "rm -rf of the registry directory");

        Files.createDirectory(dir);
        Path shared = Path.of(System.getProperty("meshpilot.repo.root", "..")).resolve("examples/shared-cluster");
        try (Stream<Path> files = Files.list(shared)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> get("/ready").statusCode() == 200);
        assertThat(get("/ready").body()).startsWith("ready\nsource: ok (last successful scan ");
    }

    @Test
    void serviceGivenTenThousandPorts_isRefused_andTheProxysConfigIsUnchanged() throws Exception {
        Path file = dir.resolve("services.yaml");
        String services = Files.readString(file);
        StringBuilder ports = new StringBuilder("  ports:\n");
        for (int i = 0; i < 10_000; i++) {
            ports.append("  - {name: p").append(i).append(", port: ").append(20_000 + i).append("}\n");
        }
        int reviews = services.indexOf("  name: reviews\n  namespace: bookinfo");
        assertThat(reviews).isPositive();
        int portsAt = services.indexOf("  ports:\n", reviews);
        int portsEnd = services.indexOf("  selector:", portsAt);
        Files.writeString(file, services.substring(0, portsAt) + ports + services.substring(portsEnd));

        assertConfigUnchangedFor(Duration.ofSeconds(2), "Service reviews.bookinfo given 10,000 ports");
    }
}
