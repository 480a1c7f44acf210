package dev.meshpilot.server.abuse;

import com.google.rpc.Status;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: client text was logged verbatim (a NACK forged a log line; 1 MB error_detail × 40 = 40 MB of log in 2.6
 * s; a 1 MB type URL logged in full); a first request carrying an unknown nonce was never answered; delta NACKs with
 * bogus nonces were counted.
 */
class ClientTextAbuseTest {
    @TempDir
    static Path dir;
    static AbuseServer server;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger serverLog = Logger.getLogger("dev.meshpilot.server");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getMessage() == null ? "" : r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        server = new AbuseServer(dir, AbuseServer.roomy());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void listen() {
        serverLog.addHandler(capture);
    }

    @AfterEach
    void unlisten() {
        serverLog.removeHandler(capture);
    }

    @Test
    void fortyNacksWithAMegabyteOfForgedDetail_andAMegabyteTypeUrl_logEscapedAndBounded() throws Exception {
        String hash = server.proxyConfigHash();
        String forged = "bad config\n2026-12-06T05:00:00.000 SEVERE forged line\u001b[31m" + "x".repeat(1 << 20);
        String hugeType = "type.googleapis.com/" + "\nFORGED ".repeat(1 << 17);
        try (AdsStreams streams = new AdsStreams(server.xdsPort())) {
            AdsStreams.Opened nacker = streams.open(DiscoveryRequest.newBuilder().setTypeUrl(AdsStreams.CDS)
                    .setNode(AdsStreams.node("nacker", "default")).build());
            DiscoveryResponse first = nacker.firstResponse.get(20, TimeUnit.SECONDS);
            for (int i = 0; i < 40; i++) {
                nacker.requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(AdsStreams.CDS)
                        .setResponseNonce(first.getNonce()).setVersionInfo("")
                        .setErrorDetail(Status.newBuilder().setCode(3).setMessage(forged)).build());
            }
            nacker.requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(hugeType).build());
            org.awaitility.Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() ->
                    lines.stream().anyMatch(l -> l.contains("type URL not served")));
            org.awaitility.Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> server.metric(
                    "pilot_total_xds_rejects_total{type=\"cds\"}") >= 40);
            nacker.close();
        }
        long bytes = lines.stream().mapToLong(String::length).sum();
        AbuseServer.report("log injection: 40 NACKs of %d chars + a %d-char type URL wrote %d log lines, %d chars"
                + " (on main: 40 MB)", forged.length(), hugeType.length(), lines.size(), bytes);
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("\n").doesNotContain("\u001b"));
        assertThat(lines).noneMatch(l -> l.contains("x".repeat(300)));
        assertThat(bytes).isLessThan(16_000);
        assertThat(lines.stream().filter(l -> l.contains("rejected")).count()).as("NACK lines, rate-limited")
                .isLessThanOrEqualTo(2);
        server.assertStillServing(hash);
    }

    @Test
    void firstRequestWithAnUnknownNonce_isAnsweredAsAFreshSubscription() throws Exception {
        String hash = server.proxyConfigHash();
        try (AdsStreams streams = new AdsStreams(server.xdsPort())) {
            AdsStreams.Opened reconnect = streams.open(DiscoveryRequest.newBuilder().setTypeUrl(AdsStreams.CDS)
                    .setNode(AdsStreams.node("reviews-v1-0", "default")).setVersionInfo("from-a-restarted-server")
                    .setResponseNonce("nonce-from-before-the-restart").build());
            DiscoveryResponse answer = reconnect.firstResponse.get(10, TimeUnit.SECONDS);
            assertThat(answer.getResourcesCount()).isPositive();
            reconnect.close();
        }
        server.assertStillServing(hash);
    }

    @Test
    void deltaNackWithABogusNonce_isNotCounted() throws Exception {
        String hash = server.proxyConfigHash();
        double before = server.metric("pilot_total_xds_rejects_total{type=\"cds\"}");
        try (AdsStreams streams = new AdsStreams(server.xdsPort())) {
            BlockingQueue<DeltaDiscoveryResponse> received = new LinkedBlockingQueue<>();
            StreamObserver<DeltaDiscoveryRequest> delta = AggregatedDiscoveryServiceGrpc.newStub(streams.channel)
                    .deltaAggregatedResources(new StreamObserver<>() {
                        @Override
                        public void onNext(DeltaDiscoveryResponse r) {
                            received.add(r);
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            delta.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(AdsStreams.CDS)
                    .setNode(AdsStreams.node("ratings-v1-0", "default")).build());
            DeltaDiscoveryResponse first = received.poll(10, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            for (int i = 0; i < 20; i++) {
                delta.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(AdsStreams.CDS).setResponseNonce("bogus-" + i)
                        .setErrorDetail(Status.newBuilder().setCode(3).setMessage("fake rejection")).build());
            }
            delta.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(AdsStreams.CDS).setResponseNonce(first.getNonce())
                    .setErrorDetail(Status.newBuilder().setCode(3).setMessage("real rejection")).build());
            org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() ->
                    server.metric("pilot_total_xds_rejects_total{type=\"cds\"}") - before >= 1);
            assertThat(server.metric("pilot_total_xds_rejects_total{type=\"cds\"}") - before)
                    .as("only the NACK of the nonce sent counts").isEqualTo(1);
            assertThat(server.get("/debug/syncz").body()).contains("real rejection").doesNotContain("fake rejection");
            delta.onCompleted();
        }
        server.assertStillServing(hash);
    }
}
