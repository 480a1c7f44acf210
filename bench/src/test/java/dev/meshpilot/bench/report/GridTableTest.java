package dev.meshpilot.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class GridTableTest {

    private static final String RUN_HEADER = "server,label,services,clients,scope,client_kind,converged,cold_all_ms,"
            + "cold_p50_ms,cold_p99_ms,cold_cpu_s,cpu_s,heap_after_gc_mb,rss_mb,heap_per_proxy_kb,bytes_sent_mb,"
            + "responses,harness_cpu_s,harness_heap_per_client_kb\n";
    private static final String EVENT_HEADER = "server,label,event,round,needed,expected,missed,p50_ms,p90_ms,p99_ms,"
            + "max_ms,needless_proxies,redundant_responses,cpu_s,description\n";

    private static String run(double coldMs) {
        return "meshpilot,cell,1000,1000,none,envoy-sotw,1000," + coldMs + ",1,1,1,1,1,1,1,1,1,1,1\n";
    }

    private static String event(int round, double maxMs) {
        return "meshpilot,cell,endpoint," + round + ",1000,1000,0,1,1," + maxMs + "," + maxMs + ",0,0,1,\"x\"\n";
    }

    @Test
    void aCellMeasuredTwice_reportsTheLastRunAndOnlyItsRounds(@TempDir Path dir) throws Exception {
        Path runs = Files.writeString(dir.resolve("runs.csv"), RUN_HEADER + run(30000) + run(18000));
        Path events = Files.writeString(dir.resolve("events.csv"),
                EVENT_HEADER + event(0, 13211) + event(1, 12000) + event(0, 1836) + event(1, 1650));

        String table = GridTable.markdown(runs, events);

        assertThat(table).contains("| 18.0 |").doesNotContain("| 30.0 |");
        assertThat(table).contains("| endpoint | 1000/1000 | 1 | 1836 | 1836 | 0 | 0 |")
                .doesNotContain("13211");
    }
}
