package dev.meshpilot.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading the tail of a captured process log, so a failure message carries the evidence with it. */
public final class ProcessLogs {

    private static final int TAIL_LINES = 40;

    private ProcessLogs() {
    }

    public static String tail(Path log) {
        if (!Files.exists(log)) {
            return "(no output captured at " + log + ")";
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
            return "--- last " + tail.size() + " lines of " + log + " ---\n" + String.join("\n", tail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes sure {@code process} does not outlive the test JVM, even when the JVM is stopped early (a surefire
     * timeout, Ctrl-C); {@link #stop} takes the guard down again.
     */
    public static void stopOnJvmExit(Process process) {
        Thread guard = new Thread(() -> process.destroyForcibly(), "stop " + process.pid() + " on exit");
        Runtime.getRuntime().addShutdownHook(guard);
        process.onExit().thenRun(() -> {
            try {
                Runtime.getRuntime().removeShutdownHook(guard);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to; nothing to undo
            }
        });
    }

    /** Ends a process: politely first (SIGTERM), then forcibly, and waits for it. */
    public static void stop(Process process, java.time.Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
