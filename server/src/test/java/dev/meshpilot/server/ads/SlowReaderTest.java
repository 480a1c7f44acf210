package dev.meshpilot.server.ads;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client that stops reading while a push waits for it is disconnected after the slow-reader timeout. */
class SlowReaderTest {
    private TestAdsServer server;

    @BeforeEach
    void start() throws Exception {
        TestResources r = TestResources.builder();
        r.cluster("c0", "1").endpoints("c0", "1");
        server = new TestAdsServer(r.build(), new StreamLimits(64 << 10, 50_000, Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void clientNotReadingPastTheTimeoutWhileAPushWaits_isDisconnected_andAReadingClientIsNot() {
        StreamObserver<DiscoveryRequest> stuck = server.stub().streamAggregatedResources(
                new ClientResponseObserver<DiscoveryRequest, DiscoveryResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> requestStream) {
                        requestStream.disableAutoRequestWithInitial(1);
                    }

                    @Override
                    public void onNext(DiscoveryResponse value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        stuck.onNext(DiscoveryRequest.newBuilder().setNode(TestAdsServer.node("stuck.ns")).setTypeUrl(XdsTypes.CLUSTER)
                .build());
        RecordingObserver<DiscoveryResponse> reading = new RecordingObserver<>();
        StreamObserver<DiscoveryRequest> healthy = server.stub().streamAggregatedResources(reading);
        healthy.onNext(DiscoveryRequest.newBuilder().setNode(TestAdsServer.node("healthy.ns"))
                .setTypeUrl(XdsTypes.CLUSTER).build());
        reading.next();
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.registry.size() == 2);
        for (int v = 1; v <= 20; v++) {
            TestResources r = TestResources.builder();
            for (int i = 0; i < 4; i++) {
                r.bigCluster("c" + i, "v" + v, 256 * 1024);
            }
            server.update(r.build());
        }
        await().atMost(15, TimeUnit.SECONDS).until(() -> server.registry.byProxyId("stuck.ns").isEmpty());
        assertThat(server.meters.get("meshpilot_xds_rejections").tag("reason", "slow_reader").counter().count())
                .isEqualTo(1);
        assertThat(server.registry.byProxyId("healthy.ns")).isPresent();
        healthy.onCompleted();
    }
}
