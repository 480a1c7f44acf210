package dev.meshpilot.insight.evidence.prometheus;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus} and {@code promtool}) on 127.0.0.1 and a free port, serving
 * a TSDB built offline from OpenMetrics: counters are written with {@link OpenMetricsWriter}, turned into blocks by
 * {@code promtool tsdb create-blocks-from openmetrics}, and served with an empty scrape configuration. Closing it
 * stops the server.
 *
 * <p>Without the binaries on the PATH a test using this fails, naming {@code .ci/run} (which installs them), unless
 * {@code -Dmeshpilot.prometheus.optional=true} is set, in which case it is skipped.
 */
final class RealPrometheus implements AutoCloseable {

    static final String OPTIONAL_PROPERTY = "meshpilot.prometheus.optional";
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final Duration PROMTOOL_WITHIN = Duration.ofSeconds(120);

    private final Process process;
    private final URI uri;
    private final Path log;

    private RealPrometheus(Process process, URI uri, Path log) {
        this.process = process;
        this.uri = uri;
        this.log = log;
    }

    /** Serves {@code counters} sampled hourly over the days {@code firstDay} to {@code lastDay}. */
    static RealPrometheus serving(Path workDir, List<IstioCounter> counters, LocalDate firstDay, LocalDate lastDay)
            throws IOException, InterruptedException {
        Path metrics = workDir.resolve("metrics.om");
        try (Writer out = Files.newBufferedWriter(metrics, StandardCharsets.UTF_8)) {
            OpenMetricsWriter.write(out, counters, firstDay, lastDay);
        }
        return servingOpenMetrics(workDir, metrics);
    }

    /** Serves the samples of an OpenMetrics file. */
    static RealPrometheus servingOpenMetrics(Path workDir, Path openMetrics) throws IOException, InterruptedException {
        Path promtool = binary("promtool");
        Path prometheus = binary("prometheus");
        Path tsdb = Files.createDirectories(workDir.resolve("tsdb"));
        run(List.of(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics", "-q", openMetrics.toString(),
                tsdb.toString()), workDir.resolve("promtool.log"));
        Path config = workDir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1h\nscrape_configs: []\n");
        Path log = workDir.resolve("prometheus.log");
        int port = freePort();
        Process process = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + tsdb, "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=3650d", "--log.level=warn")
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        RealPrometheus server = new RealPrometheus(process, URI.create("http://127.0.0.1:" + port), log);
        try {
            server.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    URI uri() {
        return uri;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(uri.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + ": " + tail(log));
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prometheus not ready within " + READY_WITHIN + ": " + tail(log));
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(PROMTOOL_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + PROMTOOL_WITHIN);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited with " + p.exitValue() + ": " + tail(log));
        }
    }

    /** The binary on the PATH; fails (or, when optional, skips) the test without it. */
    static Path binary(String name) {
        Optional<Path> found = onPath(name);
        if (found.isPresent()) {
            return found.get();
        }
        String message = name + " is not installed: the Prometheus tests run a real Prometheus server; .ci/run installs "
                + "Debian's prometheus package (apt-get install -y prometheus), which provides prometheus and promtool";
        if (Boolean.getBoolean(OPTIONAL_PROPERTY)) {
            Assumptions.abort(message + " (skipped: -D" + OPTIONAL_PROPERTY + "=true)");
        }
        throw new AssertionError(message + "; or set -D" + OPTIONAL_PROPERTY + "=true to skip these tests");
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + java.io.File.pathSeparator + "/usr/bin";
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
