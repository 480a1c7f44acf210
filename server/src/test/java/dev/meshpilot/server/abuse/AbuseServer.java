package dev.meshpilot.server.abuse;

import dev.meshpilot.server.EnvoyLikeClient;
import dev.meshpilot.server.MeshpilotServer;
import dev.meshpilot.server.ServerOptions;
import dev.meshpilot.server.limits.ResourceLimits;
import dev.meshpilot.server.push.PushSettings;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real server on the bundled bookinfo mesh (a copy in a temporary directory) with the limits a test asks for,
 * plus one real connected proxy ({@code productpage-v1-0.default}, an Envoy-like SotW client) whose served config
 * must survive every abuse unchanged: {@link #proxyConfigHash()} hashes its {@code /debug/config_dump}.
 */
final class AbuseServer implements AutoCloseable {
    static final String PROXY = "productpage-v1-0.default";

    final MeshpilotServer server;
    final EnvoyLikeClient proxy;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    AbuseServer(Path dir, ResourceLimits limits) throws IOException {
        this(dir, limits, "127.0.0.1");
    }

    AbuseServer(Path dir, ResourceLimits limits, String debugAddress) throws IOException {
        Path bookinfo = Path.of(System.getProperty("meshpilot.repo.root", "..")).resolve("examples/bookinfo");
        try (Stream<Path> files = Files.list(bookinfo)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        server = MeshpilotServer.start(new ServerOptions(dir, "127.0.0.1", 0, debugAddress, 0, "istio-system",
                new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)), 4).withLimits(limits));
        proxy = new EnvoyLikeClient(server.xdsPort(), PROXY);
        proxy.awaitInitialConfig();
    }

    /** Limits loose enough not to get in a test's way, except where it tightens them. */
    static ResourceLimits roomy() {
        return ResourceLimits.defaults().withNewStreamRate(100_000, Duration.ofSeconds(1))
                .withMaxStreamsPerConnection(1_000);
    }

    int xdsPort() {
        return server.xdsPort();
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.debugAddress().getPort()
                + pathAndQuery)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SHA-256 of the real proxy's config dump as the debug port serves it. */
    String proxyConfigHash() throws Exception {
        HttpResponse<String> dump = get("/debug/config_dump?proxyID=" + PROXY);
        assertThat(dump.statusCode()).isEqualTo(200);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(dump.body().getBytes(StandardCharsets.UTF_8)));
    }

    /** The server is up: /ready answers 200, and the real proxy is still attached. */
    void assertStillServing(String hashBefore) throws Exception {
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        assertThat(proxyConfigHash()).as("the real proxy's config dump is unchanged").isEqualTo(hashBefore);
    }

    /**
     * The value of one sample on /metrics, e.g. {@code meshpilot_xds_rejections_total{reason="names"}}; 0 for a
     * counter not registered yet (nothing counted).
     */
    double metric(String sample) throws Exception {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    double rejections(String reason) throws Exception {
        return metric("meshpilot_xds_rejections_total{reason=\"" + reason + "\"}");
    }

    /** Heap in use after two full collections, in MiB. */
    static double heapAfterGcMiB() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    static void report(String format, Object... args) {
        System.out.printf("[abuse] " + format + "%n", args);
    }

    @Override
    public void close() {
        proxy.close();
        server.close();
    }
}
