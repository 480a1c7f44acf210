package dev.meshpilot.server.abuse;

import dev.meshpilot.server.limits.DebugLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: two half-sent HTTP requests blocked {@code /ready} and {@code /metrics} for ≥ 70 s on main. Reads are
 * non-blocking now, a half-sent request is dropped after the read timeout, and the probes have their own pool.
 */
class SlowDebugClientsAbuseTest {
    private static final int SLOW_CLIENTS = 40;

    @TempDir
    Path dir;

    @Test
    void halfSentRequests_doNotBlockReadyOrMetrics_andAreDroppedAfterTheReadTimeout() throws Exception {
        DebugLimits debug = DebugLimits.defaults().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10));
        try (AbuseServer server = new AbuseServer(dir, AbuseServer.roomy().withDebug(debug))) {
            String hash = server.proxyConfigHash();
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < SLOW_CLIENTS; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", server.server.debugAddress().getPort()), 2_000);
                    OutputStream out = s.getOutputStream();
                    String path = i % 2 == 0 ? "/debug/syncz" : "/metrics";
                    out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Slow: ").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    slow.add(s);
                }
                long start = System.nanoTime();
                HttpResponse<String> ready = server.get("/ready");
                HttpResponse<String> metrics = server.get("/metrics");
                HttpResponse<String> syncz = server.get("/debug/syncz");
                double ms = (System.nanoTime() - start) / 1e6;
                AbuseServer.report("slow debug clients: %d half-sent requests open; /ready, /metrics and"
                        + " /debug/syncz answered in %.0f ms together (on main: blocked >= 70 s by 2)", SLOW_CLIENTS, ms);
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(syncz.statusCode()).isEqualTo(200);
                assertThat(ms).as("answered while the slow clients hang, not after a timeout").isLessThan(1_500);

                long dropStart = System.nanoTime();
                for (Socket s : slow) {
                    s.setSoTimeout(10_000);
                    assertThat(s.getInputStream().read()).as("the server closes a half-sent request").isEqualTo(-1);
                }
                AbuseServer.report("slow debug clients: all %d dropped %.1f s after the probes (read timeout 2 s)",
                        SLOW_CLIENTS, (System.nanoTime() - dropStart) / 1e9);
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
            server.assertStillServing(hash);
        }
    }
}
