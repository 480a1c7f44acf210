package dev.meshpilot.bench.storm;

import dev.meshpilot.bench.run.ServerProcess;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the server's heap in use from its {@code /metrics} ({@code jvm_memory_used_bytes} of the heap pools,
 * Micrometer's binder) every few hundred milliseconds and keeps the peak. A sampled peak: a short spike between two
 * samples can be missed, so the figure is a lower bound of the true peak.
 */
final class HeapSampler implements AutoCloseable {

    private static final String HEAP_LINE = "jvm_memory_used_bytes{area=\"heap\"";

    private final ServerProcess server;
    private final AtomicLong peak = new AtomicLong(-1);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    HeapSampler(ServerProcess server, long intervalMillis) {
        this.server = server;
        this.thread = new Thread(() -> {
            while (running.get()) {
                long used = heapUsed(server.debugGet("/metrics"));
                if (used >= 0) {
                    peak.accumulateAndGet(used, Math::max);
                }
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** The sum of the heap pools' {@code jvm_memory_used_bytes} in a Prometheus text exposition; -1 if absent. */
    static long heapUsed(String metrics) {
        long sum = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(HEAP_LINE)) {
                String value = line.substring(line.lastIndexOf(' ') + 1).trim();
                try {
                    sum += (long) Double.parseDouble(value);
                    found = true;
                } catch (NumberFormatException e) {
                    // not a sample line
                }
            }
        }
        return found ? sum : -1;
    }

    long peakBytes() {
        return peak.get();
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
