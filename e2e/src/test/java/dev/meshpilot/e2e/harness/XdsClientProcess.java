package dev.meshpilot.e2e.harness;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real xDS client (grpc-java or grpc-js-xds) running in its own process with one long-lived channel to
 * {@code xds:///FQDN:PORT}. The test drives it over stdin ({@code call}) and reads one result line per call;
 * everything the process prints (including its stderr) is also kept in a log file.
 */
public final class XdsClientProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    private final String description;
    private final Process process;
    private final Path log;
    private final Writer stdin;
    private final BlockingQueue<String> results = new LinkedBlockingQueue<>();
    private final List<String> diagnostics = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    private XdsClientProcess(String description, Process process, Path log) {
        this.description = description;
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pumpOutput, "xds-client-output " + description);
        reader.setDaemon(true);
        reader.start();
    }

    static XdsClientProcess start(String description, List<String> command, Map<String, String> environment,
            Path workingDir, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        XdsClientProcess client;
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "=== " + abbreviated(command) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            Process process = builder.start();
            ProcessLogs.stopOnJvmExit(process);
            client = new XdsClientProcess(description, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + description, e);
        }
        String first = client.nextResult(START_TIMEOUT);
        if (!"READY".equals(first)) {
            client.close();
            throw new IllegalStateException(description + " did not start (first line: " + first + ")\n"
                    + ProcessLogs.tail(log));
        }
        return client;
    }

    private static String abbreviated(List<String> command) {
        return command.stream().map(arg -> arg.length() > 300 ? arg.substring(0, 120) + "...(" + arg.length()
                + " chars)" : arg).collect(java.util.stream.Collectors.joining(" "));
    }

    /** Makes one call on the client's channel and returns what happened. */
    public CallResult call() {
        return result("call");
    }

    /**
     * Makes one call to {@code xds:///hostAndPort} through the process's channel for that target, created on its
     * first call and kept (the same xDS client configuration and node as the main channel).
     */
    public CallResult call(String hostAndPort) {
        return result("call xds:///" + hostAndPort);
    }

    private CallResult result(String command) {
        send(command);
        String line = nextResult(CALL_TIMEOUT);
        try {
            return CallResult.parse(line);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(description + ": " + e.getMessage() + "\n" + ProcessLogs.tail(log), e);
        }
    }

    public Path log() {
        return log;
    }

    /** A position in the client's own diagnostic output (everything it printed besides call results). */
    public int outputMark() {
        return diagnostics.size();
    }

    /** True when a diagnostic line printed after {@code mark} satisfies {@code test}. */
    public boolean printedSince(int mark, java.util.function.Predicate<String> test) {
        synchronized (diagnostics) {
            return diagnostics.subList(Math.min(mark, diagnostics.size()), diagnostics.size()).stream().anyMatch(test);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                stdin.write("quit\n");
                stdin.flush();
            } catch (IOException ignored) {
                // the process is going away anyway
            }
            try {
                process.waitFor(2, TimeUnit.SECONDS);
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
