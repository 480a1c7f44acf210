package dev.meshpilot.bench.run;

import java.util.Locale;

/**
 * One event of a run: how many clients' configuration changed ({@code needed}), how many the harness expected
 * to change on its own reckoning ({@code expected}, -1 when it has none) and of those how many did not
 * ({@code missed}), write-to-ACK latency percentiles over the changed ones, clients pushed although nothing of
 * theirs changed ({@code needless}, goal 0), and responses to changed clients that changed nothing.
 */
public record EventResult(String server, String event, int round, String description, int needed, int expected,
                          int missed, Percentiles latency, int needless, int redundantResponses, double cpuSeconds) {

    public static final String CSV_HEADER = "server,label,event,round,needed,expected,missed,p50_ms,p90_ms,p99_ms,"
            + "max_ms,needless_proxies,redundant_responses,cpu_s,description";

    public String csvRow(String label) {
        return String.join(",", server, label, event, Integer.toString(round), Integer.toString(needed),
                Integer.toString(expected), Integer.toString(missed), RunResult.fmt(latency.p50Ms()),
                RunResult.fmt(latency.p90Ms()), RunResult.fmt(latency.p99Ms()), RunResult.fmt(latency.maxMs()),
                Integer.toString(needless), Integer.toString(redundantResponses),
                String.format(Locale.ROOT, "%.2f", cpuSeconds), '"' + description.replace("\"", "'") + '"');
    }
}
