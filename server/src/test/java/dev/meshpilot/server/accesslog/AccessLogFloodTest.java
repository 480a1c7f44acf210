package dev.meshpilot.server.accesslog;

import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.server.MeshpilotServer;
import dev.meshpilot.server.learn.LearningOptions;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.meshpilot.server.accesslog.AccessLogs.common;
import static dev.meshpilot.server.accesslog.AccessLogs.http;
import static dev.meshpilot.server.accesslog.AccessLogs.httpMessage;
import static dev.meshpilot.server.accesslog.AccessLogs.identifier;
import static dev.meshpilot.server.accesslog.AccessLogs.nodeId;
import static org.assertj.core.api.Assertions.assertThat;

/** Proxies flooding the access-log service with distinct edges: the server's buffer stays within its capacity. */
class AccessLogFloodTest {
    private static final int CAPACITY = 100;
    private static final int STREAMS = 4;
    private static final int MESSAGES_PER_STREAM = 200;
    private static final int ENTRIES_PER_MESSAGE = 40;

    @TempDir
    Path dir;
    private MeshpilotServer server;
    private ExecutorService clients;

    @BeforeEach
    void start() throws Exception {
        LearningServer.copyBookinfo(dir);
        server = LearningServer.start(dir, LearningOptions.inMemory()
                .withIntervals(Duration.ofHours(1), Duration.ofHours(1))
                .withBounds(CAPACITY, LearningOptions.DEFAULT_MAX_ENTRIES_PER_MESSAGE));
        clients = Executors.newFixedThreadPool(STREAMS);
    }

    @AfterEach
    void stop() throws Exception {
        clients.shutdownNow();
        clients.awaitTermination(10, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void floodOfDistinctEdges_keepsTheBufferAtItsCapacity_countsEveryDroppedEntry_andTheServerAnswers() throws Exception {
        String[] pods = {"productpage-v1-0.default", "reviews-v1-0.default", "reviews-v2-0.default", "details-v1-0.default"};
        List<Future<?>> floods = new ArrayList<>();
        for (int s = 0; s < STREAMS; s++) {
            String pod = pods[s];
            int stream = s;
            floods.add(clients.submit(() -> {
                try (AccessLogClient client = new AccessLogClient(server.xdsPort())) {
                    AccessLogClient.Stream open = client.open();
                    for (int m = 0; m < MESSAGES_PER_STREAM; m++) {
                        List<HTTPAccessLogEntry> entries = new ArrayList<>(ENTRIES_PER_MESSAGE);
                        for (int e = 0; e < ENTRIES_PER_MESSAGE; e++) {
                            entries.add(http(common("outbound|" + (1 + m * ENTRIES_PER_MESSAGE + e) + "||flood-" + stream
                                    + ".default.svc.cluster.local")));
                        }
                        StreamAccessLogsMessage.Identifier id = m == 0 ? identifier(nodeId(pod)) : null;
                        open.send(httpMessage(id, entries));
                    }
                    open.finish();
                }
                return null;
            }));
        }
        long sent = (long) STREAMS * MESSAGES_PER_STREAM * ENTRIES_PER_MESSAGE;
        while (!floods.stream().allMatch(Future::isDone)) {
            assertThat(server.accessLog().buffered()).isLessThanOrEqualTo(CAPACITY);
            assertThat(LearningServer.get(server, "/ready").statusCode()).isEqualTo(200);
            Thread.sleep(20);
        }
        for (Future<?> f : floods) {
            f.get(60, TimeUnit.SECONDS);
        }

        assertThat(server.accessLog().buffered()).isEqualTo(CAPACITY);
        assertThat(LearningServer.dropped(server, DropReason.BUFFER_FULL)).isEqualTo(sent - CAPACITY);
        assertThat(server.accessLog().openStreams()).isZero();

        server.accessLog().flush();
        assertThat(server.accessLog().buffered()).isZero();
        assertThat(server.ledgerKeeper().ledger().edgeCount()).isEqualTo(CAPACITY);
        int learned = 0;
        for (String pod : pods) {
            WorkloadKey w = new WorkloadKey("default", pod.substring(0, pod.indexOf("-0.")));
            learned += server.ledgerKeeper().ledger().page(w).map(p -> p.calls().size()).orElse(0);
        }
        assertThat(learned).isEqualTo(CAPACITY);
    }
}
