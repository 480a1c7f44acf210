package dev.meshpilot.e2e.kube;

import static org.awaitility.Awaitility.await;

import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.FreePorts;
import dev.meshpilot.e2e.harness.ProcessLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * The packaged server following a Kubernetes API server, as a separate process the way a user runs it:
 * {@code java -jar meshpilot.jar serve --kube --kubeconfig FILE --xds-port P --debug-port Q}. {@link #start}
 * returns once {@code /ready} answers 200, which the server holds back until the initial lists have synced.
 * Output goes to a log file; {@link #close()} always stops the process.
 */
final class KubeServedMeshpilot implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final Path log;
    private final int xdsPort;
    private final int debugPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private KubeServedMeshpilot(Process process, Path log, int xdsPort, int debugPort) {
        this.process = process;
        this.log = log;
        this.xdsPort = xdsPort;
        this.debugPort = debugPort;
    }

    static KubeServedMeshpilot start(E2eSettings settings, Path kubeconfig, Path log) {
        int xdsPort = FreePorts.next();
        int debugPort = FreePorts.next();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String heap = System.getProperty("meshpilot.e2e.serverHeap", "512m");
        List<String> command = List.of(java, "-Xmx" + heap, "-jar", settings.requireServerJar().toString(),
                "serve", "--kube", "--kubeconfig", kubeconfig.toString(),
                "--xds-port", Integer.toString(xdsPort), "--debug-port", Integer.toString(debugPort));
        Process process;
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "\n=== " + String.join(" ", command) + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            ProcessLogs.stopOnJvmExit(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        KubeServedMeshpilot server = new KubeServedMeshpilot(process, log, xdsPort, debugPort);
        try {
            server.awaitReady();
        } catch (RuntimeException | Error e) {
            server.close();
            throw new IllegalStateException("meshpilot --kube did not become ready: " + e.getMessage() + "\n"
                    + ProcessLogs.tail(log), e);
        }
        return server;
    }

    int xdsPort() {
        return xdsPort;
    }

    Path log() {
        return log;
    }

    /** GET on the debug HTTP port; the body, or a failure naming the status. */
    String debugGet(String pathAndQuery) {
        HttpResponse<String> response = debugRequest(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + pathAndQuery + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    @Override
    public void close() {
        ProcessLogs.stop(process, STOP_GRACE);
    }

    private void awaitReady() {
        await("meshpilot /ready on 127.0.0.1:" + debugPort)
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("meshpilot exited with code " + process.exitValue()
                                + " before it was ready");
                    }
                    try {
                        return debugRequest("/ready").statusCode() == 200;
                    } catch (UncheckedIOException notListeningYet) {
                        return false;
                    }
                });
    }

    private HttpResponse<String> debugRequest(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + debugPort + pathAndQuery))
                .timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
