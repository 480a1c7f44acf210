package dev.meshpilot.bench.storm;

import dev.meshpilot.bench.run.Percentiles;

import java.util.List;
import java.util.Locale;

/**
 * What one reconnect storm measured. Times are from the moment the new server answered {@code /ready}
 * ({@code allFromReadyMs}, per-client percentiles) and from the kill ({@code allFromKillMs}); {@code identical} counts
 * proxies holding exactly what they held before the kill (names, resource digests and, state of the world, ACKed
 * versions); {@code responsesAfter}/{@code changingAfter} count responses that reached a proxy after it had
 * converged again (any is a needless re-push); {@code cpuSeconds} is the new process's CPU from its start until all
 * converged (start-up included), {@code stormCpuSeconds} only from ready.
 */
public record StormResult(String server, String label, ReconnectMode mode, int services, int clients,
                          String clientKind, double restartMs, int reconverged, double allFromReadyMs,
                          double allFromKillMs, Percentiles perClientFromReady, int identical, long responsesAfter,
                          long changingAfter, long attempts, double cpuSeconds, double stormCpuSeconds,
                          long peakHeapBytes, long heapAfterGcBytes, List<String> failures) {

    public static final String CSV_HEADER = "server,label,mode,services,clients,client_kind,restart_ms,reconverged,"
            + "all_from_ready_ms,all_from_kill_ms,p50_from_ready_ms,p99_from_ready_ms,identical,responses_after,"
            + "changing_after,attempts,cpu_s,storm_cpu_s,peak_heap_mb,heap_after_gc_mb";

    public boolean allBackUnchanged() {
        return failures.isEmpty() && reconverged == clients && identical == clients && responsesAfter == 0;
    }

    public String csvRow() {
        return String.join(",", server, label, mode.cliName(), Integer.toString(services), Integer.toString(clients),
                clientKind, fmt(restartMs), Integer.toString(reconverged), fmt(allFromReadyMs), fmt(allFromKillMs),
                fmt(perClientFromReady.p50Ms()), fmt(perClientFromReady.p99Ms()), Integer.toString(identical),
                Long.toString(responsesAfter), Long.toString(changingAfter), Long.toString(attempts), fmt(cpuSeconds),
                fmt(stormCpuSeconds), mb(peakHeapBytes), mb(heapAfterGcBytes));
    }

    /** The figures in one line, for the log and the summary. */
    public String describe() {
        return String.format(Locale.ROOT, "[%s] storm %s: %d/%d back, all in %.0f ms from ready (%.0f ms from kill; "
                        + "restart %.0f ms), p50 %.0f / p99 %.0f ms; identical %d/%d; responses after converged %d "
                        + "(changing %d); %d stream attempts; server CPU %.1f s (%.1f s from ready); peak heap %s MB, "
                        + "after GC %s MB%s", server, mode.cliName(), reconverged, clients, allFromReadyMs,
                allFromKillMs, restartMs, perClientFromReady.p50Ms(), perClientFromReady.p99Ms(), identical, clients,
                responsesAfter, changingAfter, attempts, cpuSeconds, stormCpuSeconds, mb(peakHeapBytes),
                mb(heapAfterGcBytes), failures.isEmpty() ? "" : "; failures: " + failures);
    }

    private static String fmt(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
