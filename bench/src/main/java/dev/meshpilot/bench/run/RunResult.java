package dev.meshpilot.bench.run;

import java.util.List;
import java.util.Locale;

/** Everything one server run measured: cold start, each event, and the process costs. */
public record RunResult(String server, String label, int services, int clients, String scope, String clientKind,
                        int converged, double coldAllMs, Percentiles coldPerClient, double coldCpuSeconds,
                        List<EventResult> events, double totalCpuSeconds, long heapAfterGcBytes, long rssBytes,
                        long bytesSent, long responses, List<String> failures, double harnessCpuSeconds,
                        long harnessHeapBytes) {

    public static final String CSV_HEADER = "server,label,services,clients,scope,client_kind,converged,cold_all_ms,"
            + "cold_p50_ms,cold_p99_ms,cold_cpu_s,cpu_s,heap_after_gc_mb,rss_mb,heap_per_proxy_kb,bytes_sent_mb,"
            + "responses,harness_cpu_s,harness_heap_per_client_kb";

    public String csvRow() {
        return String.join(",", server, label, Integer.toString(services), Integer.toString(clients), scope,
                clientKind, Integer.toString(converged), fmt(coldAllMs), fmt(coldPerClient.p50Ms()),
                fmt(coldPerClient.p99Ms()), fmt(coldCpuSeconds), fmt(totalCpuSeconds), fmt(heapAfterGcBytes / 1048576.0),
                fmt(rssBytes / 1048576.0), fmt(clients == 0 ? 0 : heapAfterGcBytes / 1024.0 / clients),
                fmt(bytesSent / 1048576.0), Long.toString(responses), fmt(harnessCpuSeconds),
                fmt(clients == 0 ? 0 : harnessHeapBytes / 1024.0 / clients));
    }

    static String fmt(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.1f", value);
    }
}
