package dev.meshpilot.e2e.kube;

import dev.meshpilot.e2e.harness.CallResult;
import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.NodeClientInstallation;
import dev.meshpilot.e2e.harness.ProcessLogs;
import dev.meshpilot.e2e.harness.ProxyNode;
import dev.meshpilot.e2e.harness.XdsBootstrap;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real xDS client process (the e2e harness's grpc-java {@code JavaXdsClientMain}, or its grpc-js-xds
 * {@code xds-client.js}) with one long-lived channel to {@code xds:///FQDN:PORT}, driven over stdin ({@code call}
 * → {@code OK <backend>} / {@code ERR <CODE> <description>}). The harness's own launcher takes a directory-backed
 * server; this one only needs the xDS port. Everything the process prints is kept in a log file.
 */
final class RealXdsClient implements AutoCloseable {

    /** The client implementations, each run as its own process. */
    enum Kind {
        GRPC_JAVA, GRPC_NODE;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    private final String description;
    private final Process process;
    private final Path log;
    private final Writer stdin;
    private final BlockingQueue<String> results = new LinkedBlockingQueue<>();
    private final List<String> diagnostics = Collections.synchronizedList(new ArrayList<>());

    private RealXdsClient(String description, Process process, Path log) {
        this.description = description;
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pumpOutput, "xds-client-output " + description);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a client of {@code xds:///hostAndPort} identified as {@code node}, bootstrap and log under {@code dir}. */
    static RealXdsClient start(Kind kind, E2eSettings settings, int xdsPort, ProxyNode node, String hostAndPort,
            Path dir) {
        String stem = kind.label() + "-" + node.proxyName();
        Path bootstrap = XdsBootstrap.write(dir.resolve(stem + "-bootstrap.json"), xdsPort, node);
        String target = "xds:///" + hostAndPort;
        String description = kind.label() + " client " + node.proxyName() + " of " + target;
        ProcessBuilder builder = switch (kind) {
            case GRPC_JAVA -> new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-cp", testClasspath(), "dev.meshpilot.e2e.client.JavaXdsClientMain", target)
                    .directory(dir.toFile());
            case GRPC_NODE -> {
                Path installation = NodeClientInstallation.ensureInstalled(settings);
                ProcessBuilder nodeProcess = new ProcessBuilder("node", installation.resolve("xds-client.js").toString(),
                        target).directory(installation.toFile());
                // grpc-js-xds says a listener does not exist only in its resolver trace: its calls just time out.
                nodeProcess.environment().putAll(Map.of("GRPC_TRACE", "xds_resolver", "GRPC_VERBOSITY", "DEBUG"));
                yield nodeProcess;
            }
        };
        builder.environment().put("GRPC_XDS_BOOTSTRAP", bootstrap.toString());
        return launch(description, builder.redirectErrorStream(true), dir.resolve(stem + ".log"));
    }

    /** Makes one call on the client's channel and returns what happened. */
    CallResult call() {
        send("call");
        String line = nextResult(CALL_TIMEOUT);
        if (line.startsWith("OK ")) {
            return new CallResult(true, line.substring(3).trim(), "OK", "");
        }
        if (line.startsWith("ERR ")) {
            String[] codeAndText = line.substring(4).split(" ", 2);
            return new CallResult(false, "", codeAndText[0], codeAndText.length > 1 ? codeAndText[1] : "");
        }
        throw new IllegalStateException(description + " printed no call result: " + line + "\n"
                + ProcessLogs.tail(log));
    }

    /** A position in the client's diagnostic output (everything it printed besides call results). */
    int outputMark() {
        return diagnostics.size();
    }

    /** True when a diagnostic line printed after {@code mark} satisfies {@code test}. */
    boolean printedSince(int mark, Predicate<String> test) {
        synchronized (diagnostics) {
            return diagnostics.subList(Math.min(mark, diagnostics.size()), diagnostics.size()).stream().anyMatch(test);
        }
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                stdin.write("quit\n");
                stdin.flush();
                process.waitFor(2, TimeUnit.SECONDS);
            } catch (IOException ignored) {
                // the process is going away anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ProcessLogs.stop(process, Duration.ofSeconds(3));
    }

    @Override
    public String toString() {
        return description;
    }

    private static RealXdsClient launch(String description, ProcessBuilder builder, Path log) {
        RealXdsClient client;
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "=== " + description + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            Process process = builder.start();
            ProcessLogs.stopOnJvmExit(process);
            client = new RealXdsClient(description, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + description, e);
        }
        try {
            String first = client.nextResult(START_TIMEOUT);
            if (!"READY".equals(first)) {
                throw new IllegalStateException("first line: " + first);
            }
        } catch (RuntimeException e) {
            client.close();
            throw new IllegalStateException(description + " did not start (" + e.getMessage() + ")\n"
                    + ProcessLogs.tail(log), e);
        }
        return client;
    }

    /** The classpath the tests run with (surefire hands it over in a property of its own). */
    private static String testClasspath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private void send(String command) {
        if (!process.isAlive()) {
            throw new IllegalStateException(description + " has exited with code " + process.exitValue() + "\n"
                    + ProcessLogs.tail(log));
        }
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(description + " stopped reading commands", e);
        }
    }

    private String nextResult(Duration timeout) {
        try {
            String line = results.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new IllegalStateException(description + " gave no answer within " + timeout + "\n"
                        + ProcessLogs.tail(log));
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Copies every output line to the log; protocol lines (READY, OK, ERR) also go to the result queue. */
    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            String line;
            while ((line = reader.readLine()) != null) {
                logWriter.write(line + "\n");
                logWriter.flush();
                if (line.equals("READY") || line.startsWith("OK ") || line.startsWith("ERR ")) {
                    results.add(line);
                } else {
                    diagnostics.add(line);
                }
            }
        } catch (IOException e) {
            // the process ended; callers see it through isAlive() or a missing answer
        }
    }
}
