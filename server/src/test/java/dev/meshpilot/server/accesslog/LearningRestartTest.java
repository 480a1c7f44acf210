package dev.meshpilot.server.accesslog;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.server.MeshpilotServer;
import dev.meshpilot.server.learn.InMemoryLedgerStore;
import dev.meshpilot.server.learn.LearningOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.meshpilot.server.accesslog.AccessLogs.common;
import static dev.meshpilot.server.accesslog.AccessLogs.http;
import static dev.meshpilot.server.accesslog.AccessLogs.httpMessage;
import static dev.meshpilot.server.accesslog.AccessLogs.identifier;
import static dev.meshpilot.server.accesslog.AccessLogs.nodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A server stopped and a new one started on the same store: the ledger and its counts carry over. */
class LearningRestartTest {
    private static final WorkloadKey PRODUCTPAGE = new WorkloadKey("default", "productpage-v1");
    private static final Destination REVIEWS = new Destination("reviews.default.svc.cluster.local", 9080);
    private static final String CLUSTER = "outbound|9080||reviews.default.svc.cluster.local";

    @TempDir
    Path dir;
    private MeshpilotServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private MeshpilotServer start(InMemoryLedgerStore store) throws Exception {
        return LearningServer.start(dir, LearningOptions.inMemory().withStore(store).withReplicaId("replica-a")
                .withIntervals(Duration.ofHours(1), Duration.ofHours(1)));
    }

    private void send(int calls) throws Exception {
        try (AccessLogClient client = new AccessLogClient(server.xdsPort())) {
            client.sendAll(List.of(httpMessage(identifier(nodeId("productpage-v1-0.default")),
                    java.util.Collections.nCopies(calls, http(common(CLUSTER))))));
        }
    }

    @Test
    void shutdown_endsOpenAccessLogStreamsWithUnavailable_keepsWhatTheyAlreadySent_andDoesNotWaitForThem()
            throws Exception {
        LearningServer.copyBookinfo(dir);
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        server = start(store);
        try (AccessLogClient client = new AccessLogClient(server.xdsPort())) {
            AccessLogClient.Stream open = client.open().send(httpMessage(identifier(nodeId("productpage-v1-0.default")),
                    List.of(http(common(CLUSTER)))));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.accessLog().buffered() == 1);

            long started = System.nanoTime();
            server.close();
            server = null;

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
            assertThatThrownBy(open::finish).hasCauseInstanceOf(io.grpc.StatusRuntimeException.class)
                    .satisfies(e -> assertThat(io.grpc.Status.fromThrowable(e.getCause()).getCode())
                            .isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
        }
        assertThat(store.stored().page(PRODUCTPAGE).flatMap(p -> p.call(REVIEWS))).isPresent();
    }

    @Test
    void ledgerLearnedBeforeAStop_isThereAfterAStartOnTheSameStore_andCountsKeepGrowing() throws Exception {
        LearningServer.copyBookinfo(dir);
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        server = start(store);
        send(2);
        server.close();
        server = null;
        assertThat(store.stored().page(PRODUCTPAGE).flatMap(p -> p.call(REVIEWS)).map(CallEvidence::count))
                .as("flushed and saved on shutdown").hasValue(2L);

        server = start(store);
        assertThat(server.ledgerKeeper().ledger().page(PRODUCTPAGE).flatMap(p -> p.call(REVIEWS))
                .map(CallEvidence::count)).as("loaded on start").hasValue(2L);
        send(3);
        server.accessLog().flush();

        CallEvidence after = server.ledgerKeeper().ledger().page(PRODUCTPAGE).flatMap(p -> p.call(REVIEWS)).orElseThrow();
        assertThat(after.count()).isEqualTo(5);
        assertThat(after.countsByReporter()).containsExactlyEntriesOf(java.util.Map.of("access-log replica-a", 5L));
    }
}
