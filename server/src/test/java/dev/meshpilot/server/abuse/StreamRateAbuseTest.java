package dev.meshpilot.server.abuse;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 12: no limit on the new-stream rate on main. istiod's answer: a token bucket, RESOURCE_EXHAUSTED beyond. */
class StreamRateAbuseTest {
    private static final int RATE = 20;
    private static final int OPENED = 120;

    @TempDir
    Path dir;

    @Test
    void streamsBeyondTheRate_waitTheirTurnUpToASecond_thenFailWithResourceExhausted() throws Exception {
        try (AbuseServer server = new AbuseServer(dir, AbuseServer.roomy().withNewStreamRate(RATE,
                Duration.ofSeconds(1)))) {
            String hash = server.proxyConfigHash();
            double before = server.rejections("rate");
            List<AdsStreams> channels = new ArrayList<>();
            List<AdsStreams.Opened> open = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < OPENED / 40; c++) {
                AdsStreams streams = new AdsStreams(server.xdsPort());
                channels.add(streams);
                for (int i = 0; i < 40; i++) {
                    open.add(streams.open(DiscoveryRequest.newBuilder().setTypeUrl(AdsStreams.CDS)
                            .setNode(AdsStreams.node("burst-" + c + "-" + i, "default")).build()));
                }
            }
            int served = 0;
            int refused = 0;
            for (AdsStreams.Opened o : open) {
                try {
                    o.firstResponse.get(20, TimeUnit.SECONDS);
                    served++;
                } catch (ExecutionException e) {
                    Status s = Status.fromThrowable(e.getCause());
                    assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(s.getDescription()).contains("rate limit");
                    refused++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            AbuseServer.report("new-stream rate %d/s (max wait 1 s): %d streams opened at once, %d served within"
                    + " %.1f s, %d refused with RESOURCE_EXHAUSTED", RATE, OPENED, served, seconds, refused);
            // a burst of 20 at once, up to 20 more within the second they may wait; a few more as time passes
            assertThat(served).isBetween(RATE, 3 * RATE);
            assertThat(refused).isEqualTo(OPENED - served);
            assertThat(server.rejections("rate") - before).isEqualTo(refused);
            open.forEach(AdsStreams.Opened::close);
            channels.forEach(AdsStreams::close);
            server.assertStillServing(hash);
        }
    }
}
