package dev.meshpilot.bench.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An xDS server under test as a separate JVM (the packaged meshpilot jar, or the java-control-plane peer): started,
 * awaited on {@code /ready}, measured from outside through {@code /proc} and {@code jcmd}, and stopped.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final String label;
    private final Process process;
    private final int xdsPort;
    private final int debugPort;
    private final Path log;
    private final List<String> command;

    private ServerProcess(String label, List<String> command, Process process, int xdsPort, int debugPort, Path log) {
        this.label = label;
        this.command = List.copyOf(command);
        this.process = process;
        this.xdsPort = xdsPort;
        this.debugPort = debugPort;
        this.log = log;
    }

    /**
     * JVM options for both servers from {@code BENCH_SERVER_JAVA_OPTS} (space-separated), e.g. a flight recording:
     * {@code BENCH_SERVER_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/server.jfr"}.
     */
    private static List<String> extraServerJvmOptions() {
        String opts = System.getenv().getOrDefault("BENCH_SERVER_JAVA_OPTS", "").trim();
        return opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
    }

    /** {@code java -Xmx.. -jar meshpilot.jar serve --registry DIR --xds-port P --debug-port Q}. */
    public static ServerProcess meshpilot(Path jar, Path registry, String heap, Path log) {
        return meshpilot(jar, registry, heap, log, List.of());
    }

    /** The same with further {@code serve} options (e.g. {@code --scoping learned}). */
    public static ServerProcess meshpilot(Path jar, Path registry, String heap, Path log, List<String> serveOptions) {
        int[] ports = freePorts(2);
        int xds = ports[0];
        int debug = ports[1];
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap, "-XX:+UseG1GC"));
        command.addAll(extraServerJvmOptions());
        command.addAll(List.of("-jar", jar.toString(),
                "serve", "--registry", registry.toString(), "--xds-port", Integer.toString(xds),
                "--debug-port", Integer.toString(debug)));
        // The fleet multiplexes many simulated proxies on one connection and connects them in waves the harness
        // sets; the server's admission limits (docs/security.md) would measure themselves instead, unless a run
        // sets them on purpose (the reconnect storm's throttle runs).
        for (String limit : List.of("--new-stream-rate", "--max-streams-per-connection")) {
            if (serveOptions.stream().noneMatch(o -> o.equals(limit) || o.startsWith(limit + "="))) {
                command.addAll(List.of(limit, "1000000"));
            }
        }
        command.addAll(serveOptions);
        return start("meshpilot", command, xds, debug, log);
    }

    /** The java-control-plane peer ({@link dev.meshpilot.bench.peer.PeerServerMain}) from this JVM's classpath. */
    public static ServerProcess peer(Path registry, String heap, boolean proxyless, List<String> proxyIds, Path log) {
        int[] ports = freePorts(2);
        int xds = ports[0];
        int debug = ports[1];
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap, "-XX:+UseG1GC"));
        command.addAll(extraServerJvmOptions());
        command.addAll(List.of("-cp",
                System.getProperty("java.class.path"), "dev.meshpilot.bench.peer.PeerServerMain",
                "--registry", registry.toString(), "--xds-port", Integer.toString(xds),
                "--debug-port", Integer.toString(debug)));
        if (proxyless) {
            command.add("--proxyless");
        }
        try {
            Path list = log.toAbsolutePath().resolveSibling(log.getFileName() + ".proxies");
            Files.createDirectories(list.getParent());
            Files.write(list, proxyIds);
            command.add("--proxies");
            command.add(list.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start("java-control-plane", command, xds, debug, log);
    }

    private static ServerProcess start(String label, List<String> command, int xds, int debug, Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            ServerProcess server = new ServerProcess(label, command, process, xds, debug, log);
            // A harness stopped by a signal must not leave its server running.
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-" + label));
            server.awaitReady(Duration.ofMinutes(5));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    public String label() {
        return label;
    }

    public int xdsPort() {
        return xdsPort;
    }

    public int debugPort() {
        return debugPort;
    }

    public long pid() {
        return process.pid();
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(label + " exited with " + process.exitValue() + " before it was ready; "
                        + "see " + log + "\n" + tail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + debugPort + "/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException(label + " was not ready within " + timeout + "; see " + log + "\n" + tail());
    }

    /**
     * Kills the process at once (SIGKILL: no graceful shutdown, as a crash or an evicted pod) and waits until it is
     * gone; the ports are free again when this returns.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the same command again on the same ports and log (after {@link #kill}); returns once it is ready. */
    public ServerProcess startAgain() {
        if (process.isAlive()) {
            throw new IllegalStateException(label + " is still running (pid " + pid() + ")");
        }
        return start(label, command, xdsPort, debugPort, log);
    }

    /** User plus system CPU time the server process has used so far. */
    public double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks / (double) CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Resident set size (bytes) from /proc/PID/status. */
    public long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Java heap in use right after a full GC (bytes), via {@code jcmd GC.run} then {@code GC.heap_info}. */
    public long heapAfterGcBytes() {
        jcmd("GC.run");
        Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    private String jcmd(String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), command).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** GET on the debug port; empty on failure. */
    public String debugGet(String path) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + debugPort + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * {@code count} different free ports. Every socket stays open until all are chosen: the kernel may hand a port
     * it just released to the next bind, so choosing them one at a time can return the same port twice.
     */
    static int[] freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port is released when this process exits at the latest
                }
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
