package dev.meshpilot.e2e.harness;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged server ({@code java -jar meshpilot.jar serve --registry DIR ...}, or {@code --kube --kubeconfig FILE})
 * as a separate process, the way a user runs it. {@code start} returns once {@code /ready} answers 200, which a
 * Kubernetes-fed server holds back until its initial lists have synced. Its output goes to a log file (appended
 * across restarts) for diagnostics; {@link #close()} always stops it. The ports stay fixed across
 * {@link #restart()}, so connected clients can find it again.
 */
public final class MeshpilotServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Path jar;
    /** Where the mesh comes from: {@code --registry DIR} or {@code --kube --kubeconfig FILE}. */
    private final List<String> sourceArgs;
    private final Path log;
    private final int xdsPort;
    private final int xdsTlsPort;
    private final int debugPort;
    private final List<String> extraArgs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private MeshpilotServer(Path jar, List<String> sourceArgs, Path log, List<String> extraArgs) {
        this.jar = jar;
        this.sourceArgs = List.copyOf(sourceArgs);
        this.log = log;
        int[] ports = FreePorts.distinct(3);
        this.xdsPort = ports[0];
        this.xdsTlsPort = ports[1];
        this.debugPort = ports[2];
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts the server on {@code registry} and returns once {@code /ready} answers 200. */
    public static MeshpilotServer start(E2eSettings settings, RegistryDirectory registry, Path log, String... extraArgs) {
        return launched(new MeshpilotServer(settings.requireServerJar(),
                List.of("--registry", registry.root().toString()), log, List.of(extraArgs)));
    }

    /** Starts the server following the Kubernetes API server of {@code kubeconfig}, once its lists have synced. */
    public static MeshpilotServer startOnKube(E2eSettings settings, Path kubeconfig, Path log, String... extraArgs) {
        return launched(new MeshpilotServer(settings.requireServerJar(),
                List.of("--kube", "--kubeconfig", kubeconfig.toString()), log, List.of(extraArgs)));
    }

    private static MeshpilotServer launched(MeshpilotServer server) {
        server.launch();
        return server;
    }

    public int xdsPort() {
        return xdsPort;
    }

    /** The authenticated TLS xDS port; its generated certificates are in {@link #tlsDir()} unless files were given. */
    public int xdsTlsPort() {
        return xdsTlsPort;
    }

    /** Where the server keeps generated certificates ({@code --tls-dir}): next to its log. */
    public Path tlsDir() {
        return log.getParent().resolve("tls");
    }

    public Path log() {
        return log;
    }

    /** Stops the process (SIGTERM, then forcibly) and starts it again on the same ports and registry. */
    public void restart() {
        stop();
        launch();
    }

    public void stop() {
        if (process != null) {
            ProcessLogs.stop(process, STOP_GRACE);
            process = null;
        }
    }

    /** GET on the debug HTTP port; the body, or a failure naming the status. */
    public String debugGet(String pathAndQuery) {
        HttpResponse<String> response = debugRequest(pathAndQuery);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + pathAndQuery + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    @Override
    public void close() {
        stop();
    }

    private void launch() {
        String heap = System.getProperty("meshpilot.e2e.serverHeap", "512m");
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx" + heap, "-jar", jar.toString(),
                "serve"));
        command.addAll(sourceArgs);
        command.addAll(List.of("--xds-port", Integer.toString(xdsPort), "--debug-port", Integer.toString(debugPort),
                "--xds-tls-port", Integer.toString(xdsTlsPort), "--xds-tls-address", "127.0.0.1",
                "--tls-dir", tlsDir().toString()));
        command.addAll(extraArgs);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "\n=== " + String.join(" ", command) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            ProcessLogs.stopOnJvmExit(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        Process started = process;
        try {
            await("meshpilot /ready on 127.0.0.1:" + debugPort)
                    .atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!started.isAlive()) {
                            throw new IllegalStateException("meshpilot exited with code " + started.exitValue()
                                    + " before it was ready\n" + ProcessLogs.tail(log));
                        }
                        return isReady();
                    });
        } catch (RuntimeException | Error e) {
            stop();
            throw new IllegalStateException("meshpilot did not become ready: " + e.getMessage() + "\n"
                    + ProcessLogs.tail(log), e);
        }
    }

    private boolean isReady() {
        try {
            return debugRequest("/ready").statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
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

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
