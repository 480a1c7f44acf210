package dev.meshpilot.server.abuse;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: 100 streams with 3.9 MB node metadata held 430 MB on main (450 exhausted Netty's direct memory); no bound
 * on names per request, message size or streams per connection. Each is refused now, with a status naming the limit
 * and a count in {@code meshpilot_xds_rejections_total}.
 */
class OversizedRequestsAbuseTest {
    private static final int STREAMS_PER_CONNECTION = 8;
    private static final int NAMES = 1_000;

    @TempDir
    static Path dir;
    static AbuseServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new AbuseServer(dir, AbuseServer.roomy().withMaxStreamsPerConnection(STREAMS_PER_CONNECTION)
                .withRequestSizes(4 << 20, 64 << 10, NAMES));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void hundredStreamsWithHugeNodeMetadata_areRefused_andNothingIsRetained() throws Exception {
        String hash = server.proxyConfigHash();
        double baselineHeap = AbuseServer.heapAfterGcMiB();
        double before = server.rejections("metadata_size");
        int metadataBytes = 3_900_000;
        try (AdsStreams streams = new AdsStreams(server.xdsPort())) {
            for (int batch = 0; batch < 20; batch++) {
                List<AdsStreams.Opened> open = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    open.add(streams.open(DiscoveryRequest.newBuilder().setTypeUrl(AdsStreams.CDS).setNode(
                            AdsStreams.withPadding(AdsStreams.node("fat-" + batch + "-" + i, "default"),
                                    metadataBytes)).build()));
                }
                for (AdsStreams.Opened o : open) { // 5 at once: within this server's streams per connection
                    Status s = o.ended.get(20, TimeUnit.SECONDS);
                    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(s.getDescription()).contains("at most " + (64 << 10) + " are allowed");
                }
            }
        }
        double afterHeap = AbuseServer.heapAfterGcMiB();
        AbuseServer.report("3.9 MB node metadata: 100 streams refused (INVALID_ARGUMENT), heap after GC baseline"
                + " %.1f MiB, after %.1f MiB (%+.1f MiB)", baselineHeap, afterHeap, afterHeap - baselineHeap);
        assertThat(server.rejections("metadata_size") - before).isEqualTo(100);
        assertThat(afterHeap - baselineHeap).isLessThan(32);
        assertThat(server.server.connections().all()).hasSize(1);
        server.assertStillServing(hash);
    }

    @Test
    void requestNamingTooManyResources_closesTheStream() throws Exception {
        String hash = server.proxyConfigHash();
        double before = server.rejections("names");
        DiscoveryRequest.Builder greedy = DiscoveryRequest.newBuilder().setTypeUrl(AdsStreams.CDS)
                .setNode(AdsStreams.node("greedy", "default"));
        for (int i = 0; i <= NAMES; i++) {
            greedy.addResourceNames("outbound|80||name-" + i + ".default.svc.cluster.local");
        }
        try (AdsStreams streams = new AdsStreams(server.xdsPort())) {
            Status s = streams.open(greedy.build()).ended.get(20, TimeUnit.SECONDS);
            assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(s.getDescription()).contains("named " + (NAMES + 1) + " resources; at most " + NAMES);
        }
        assertThat(server.rejections("names") - before).isEqualTo(1);
        server.assertStillServing(hash);
    }

    @Test
    void messageLargerThanTheLimit_endsTheStreamWithResourceExhausted() throws Exception {
        String hash = server.proxyConfigHash();
        double before = server.rejections("message_size");
        try (AdsStreams streams = new AdsStreams(server.xdsPort())) {
            Status s = streams.open(DiscoveryRequest.newBuilder().setTypeUrl(AdsStreams.CDS).setNode(
                    AdsStreams.withPadding(AdsStreams.node("huge", "default"), 5 << 20)).build())
                    .ended.get(20, TimeUnit.SECONDS);
            assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        }
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS)
                .until(() -> server.rejections("message_size") - before == 1);
        server.assertStillServing(hash);
    }

    @Test
    void streamsBeyondThePerConnectionLimit_failWithResourceExhausted() throws Exception {
        String hash = server.proxyConfigHash();
        double before = server.rejections("streams");
        try (AdsStreams streams = new AdsStreams(server.xdsPort())) {
            List<AdsStreams.Opened> open = new ArrayList<>();
            for (int i = 0; i < STREAMS_PER_CONNECTION + 4; i++) {
                open.add(streams.open(DiscoveryRequest.newBuilder().setTypeUrl(AdsStreams.CDS)
                        .setNode(AdsStreams.node("many-" + i, "default")).build()));
            }
            int served = 0;
            int refused = 0;
            for (AdsStreams.Opened o : open) {
                try {
                    o.firstResponse.get(20, TimeUnit.SECONDS);
                    served++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(Status.fromThrowable(e.getCause()).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    refused++;
                }
            }
            AbuseServer.report("streams per connection: %d opened on one connection, %d served, %d refused",
                    open.size(), served, refused);
            assertThat(served).isEqualTo(STREAMS_PER_CONNECTION);
            assertThat(refused).isEqualTo(4);
            open.forEach(AdsStreams.Opened::close);
        }
        assertThat(server.rejections("streams") - before).isEqualTo(4);
        server.assertStillServing(hash);
    }
}
