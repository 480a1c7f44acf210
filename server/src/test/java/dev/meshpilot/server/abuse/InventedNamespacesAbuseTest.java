package dev.meshpilot.server.abuse;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12: streams each claiming a new invented namespace left per-namespace scope caches behind (+512 MB heap
 * for 300 namespaces on main; the server died around 887). Each scope, outbound part and converted resource set must
 * be forgotten when the last proxy using it leaves.
 */
class InventedNamespacesAbuseTest {
    private static final int STREAMS = 1_000;
    private static final int AT_ONCE = 100;

    @TempDir
    static Path dir;
    static AbuseServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new AbuseServer(dir, AbuseServer.roomy());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thousandInventedNamespaces_leaveNoScopeStateBehind() throws Exception {
        String hash = server.proxyConfigHash();
        int baselineEntries = server.server.pipeline().state().cachedEntries();
        double baselineHeap = AbuseServer.heapAfterGcMiB();
        int peakEntries = 0;
        double peakHeap = 0;
        try (AdsStreams streams = new AdsStreams(server.xdsPort())) {
            for (int batch = 0; batch < STREAMS / AT_ONCE; batch++) {
                List<AdsStreams.Opened> open = new ArrayList<>();
                for (int i = 0; i < AT_ONCE; i++) {
                    int n = batch * AT_ONCE + i;
                    open.add(streams.open(DiscoveryRequest.newBuilder()
                            .setNode(AdsStreams.node("pod-" + n, "invented-" + n)).setTypeUrl(AdsStreams.CDS).build()));
                }
                for (AdsStreams.Opened o : open) {
                    assertThat(o.firstResponse.get(20, TimeUnit.SECONDS).getTypeUrl()).isEqualTo(AdsStreams.CDS);
                }
                if (batch == 0) {
                    peakEntries = server.server.pipeline().state().cachedEntries();
                    peakHeap = AbuseServer.heapAfterGcMiB();
                }
                open.forEach(AdsStreams.Opened::close);
            }
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> server.server.pipeline().entries().size() == 1
                && server.server.pipeline().state().cachedEntries() == baselineEntries);
        double afterHeap = AbuseServer.heapAfterGcMiB();
        AbuseServer.report("invented namespaces: %d streams (%d at once); cache entries baseline %d, with %d invented"
                        + " namespaces connected %d, after they left %d; heap after GC baseline %.1f MiB, %d connected"
                        + " %.1f MiB, after %.1f MiB (%+.1f MiB retained)", STREAMS, AT_ONCE, baselineEntries,
                AT_ONCE, peakEntries, server.server.pipeline().state().cachedEntries(), baselineHeap, AT_ONCE,
                peakHeap, afterHeap, afterHeap - baselineHeap);
        assertThat(peakEntries).as("each connected invented namespace holds its scope").isGreaterThan(
                baselineEntries + AT_ONCE);
        assertThat(afterHeap - baselineHeap).as("MiB retained after 1,000 invented namespaces").isLessThan(32);
        server.assertStillServing(hash);
    }

    /**
     * Proxies leaving together (a drain, a partition) are forgotten in one batch: the replicas of each invented
     * namespace share their scope, outbound part and resources, and once all of them are gone at once the caches are
     * back to what they held before any of them attached.
     */
    @Test
    void manyProxiesDetachingAtOnce_leaveTheCachesAsBeforeTheyAttached() throws Exception {
        await().atMost(20, TimeUnit.SECONDS).until(() -> server.server.pipeline().entries().size() == 1);
        int baselineEntries = server.server.pipeline().state().cachedEntries();
        int namespaces = 40;
        int replicas = 3;
        try (AdsStreams streams = new AdsStreams(server.xdsPort())) {
            List<AdsStreams.Opened> open = new ArrayList<>();
            for (int n = 0; n < namespaces; n++) {
                for (int r = 0; r < replicas; r++) {
                    open.add(streams.open(DiscoveryRequest.newBuilder()
                            .setNode(AdsStreams.node("pod-" + n + "-" + r, "leaving-" + n))
                            .setTypeUrl(AdsStreams.CDS).build()));
                }
            }
            for (AdsStreams.Opened o : open) {
                assertThat(o.firstResponse.get(20, TimeUnit.SECONDS).getTypeUrl()).isEqualTo(AdsStreams.CDS);
            }
            await().atMost(20, TimeUnit.SECONDS).until(() -> server.server.pipeline().entries().size()
                    == 1 + namespaces * replicas);
            int attachedEntries = server.server.pipeline().state().cachedEntries();
            assertThat(attachedEntries).as("each connected namespace holds its scope")
                    .isGreaterThanOrEqualTo(baselineEntries + namespaces);

            open.forEach(AdsStreams.Opened::close);
            await().atMost(20, TimeUnit.SECONDS).until(() -> server.server.pipeline().entries().size() == 1
                    && server.server.pipeline().state().cachedEntries() == baselineEntries);
        }
        assertThat(server.server.pipeline().state().cachedEntries()).isEqualTo(baselineEntries);
    }
}
