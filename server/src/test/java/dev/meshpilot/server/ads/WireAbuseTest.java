package dev.meshpilot.server.ads;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Clients that misbehave in bulk: the server stays up, forgets them and keeps its memory bounded. */
class WireAbuseTest {
    private TestAdsServer server;

    @BeforeEach
    void start() throws Exception {
        TestResources r = TestResources.builder();
        for (int i = 0; i < 50; i++) {
            r.cluster("c" + i, "1").endpoints("c" + i, "1");
        }
        server = new TestAdsServer(r.build());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void thousandStreamsOpenedAndDroppedAtOnce_areAllForgotten_andMemoryStaysBounded() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        for (int round = 0; round < 3; round++) {
            List<StreamObserver<DiscoveryRequest>> sotw = new ArrayList<>();
            List<StreamObserver<DeltaDiscoveryRequest>> delta = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                StreamObserver<DiscoveryRequest> s = server.stub().streamAggregatedResources(new RecordingObserver<>());
                s.onNext(DiscoveryRequest.newBuilder().setNode(TestAdsServer.node("p" + i + ".ns"))
                        .setTypeUrl(XdsTypes.CLUSTER).build());
                sotw.add(s);
                StreamObserver<DeltaDiscoveryRequest> d = server.stub().deltaAggregatedResources(new RecordingObserver<>());
                d.onNext(DeltaDiscoveryRequest.newBuilder().setNode(TestAdsServer.node("q" + i + ".ns"))
                        .setTypeUrl(XdsTypes.CLUSTER).build());
                delta.add(d);
            }
            await().atMost(20, TimeUnit.SECONDS).until(() -> server.registry.size() == 1000);
            for (int i = 0; i < 500; i++) {
                if (i % 2 == 0) {
                    sotw.get(i).onError(new RuntimeException("client went away"));
                    delta.get(i).onCompleted();
                } else {
                    sotw.get(i).onCompleted();
                    delta.get(i).onError(new RuntimeException("client went away"));
                }
            }
            await().atMost(20, TimeUnit.SECONDS).until(() -> server.registry.size() == 0);
        }
        assertThat(server.detached.get()).isEqualTo(3000);
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        assertThat(after - before).as("heap growth after 3,000 streams came and went").isLessThan(64L << 20);
        assertThat(server.meters.find("pilot_xds").gauges().stream().mapToDouble(g -> g.value()).sum()).isZero();
    }

    @Test
    void clientThatStopsReading_getsTheLatestConfigWhenItResumes_notABacklog() {
        java.util.concurrent.atomic.AtomicReference<io.grpc.stub.ClientCallStreamObserver<DiscoveryRequest>> call =
                new java.util.concurrent.atomic.AtomicReference<>();
        RecordingObserver<DiscoveryResponse> received = new RecordingObserver<>();
        StreamObserver<DiscoveryRequest> s = server.stub().streamAggregatedResources(
                new io.grpc.stub.ClientResponseObserver<DiscoveryRequest, DiscoveryResponse>() {
                    @Override
                    public void beforeStart(io.grpc.stub.ClientCallStreamObserver<DiscoveryRequest> requestStream) {
                        call.set(requestStream);
                        requestStream.disableAutoRequestWithInitial(1);
                    }

                    @Override
                    public void onNext(DiscoveryResponse value) {
                        received.onNext(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        received.onError(t);
                    }

                    @Override
                    public void onCompleted() {
                        received.onCompleted();
                    }
                });
        s.onNext(DiscoveryRequest.newBuilder().setNode(TestAdsServer.node("slow.ns")).setTypeUrl(XdsTypes.CLUSTER).build());
        received.next();
        int updates = 100;
        for (int v = 1; v <= updates; v++) {
            TestResources r = TestResources.builder();
            for (int i = 0; i < 4; i++) {
                r.bigCluster("c" + i, "v" + v, 256 * 1024);
            }
            server.update(r.build());
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> server.registry.byProxyId("slow.ns").orElseThrow()
                .status().types().get(XdsTypes.CLUSTER).sentNonce().length() > 0);
        call.get().request(Integer.MAX_VALUE);
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> {
            DiscoveryResponse last = null;
            for (DiscoveryResponse r : received.received) {
                last = r;
            }
            assertThat(last).isNotNull();
            assertThat(last.getResources(0).unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class).getAltStatName())
                    .startsWith("v" + updates + "-");
        });
        assertThat(received.received.size()).as("responses actually sent after catching up").isLessThan(updates / 2);
        s.onCompleted();
    }

    @Test
    void clientFloodingRequests_isReadOneAtATime_andOthersAreStillServed() {
        StreamObserver<DiscoveryRequest> flood = server.stub().streamAggregatedResources(new RecordingObserver<>());
        flood.onNext(DiscoveryRequest.newBuilder().setNode(TestAdsServer.node("flood.ns")).setTypeUrl(XdsTypes.CLUSTER)
                .build());
        for (int i = 0; i < 20_000; i++) {
            flood.onNext(DiscoveryRequest.newBuilder().setTypeUrl(XdsTypes.ENDPOINT).addResourceNames("c" + (i % 50))
                    .setResponseNonce("bogus-" + i).build());
        }
        RecordingObserver<DiscoveryResponse> polite = new RecordingObserver<>();
        StreamObserver<DiscoveryRequest> other = server.stub().streamAggregatedResources(polite);
        other.onNext(DiscoveryRequest.newBuilder().setNode(TestAdsServer.node("polite.ns")).setTypeUrl(XdsTypes.CLUSTER)
                .build());
        assertThat(polite.next().getResourcesCount()).isEqualTo(50);
        flood.onCompleted();
        other.onCompleted();
        await().atMost(30, TimeUnit.SECONDS).until(() -> server.registry.size() == 0);
    }

    @Test
    void hugeDeltaSubscriptions_areCapped() {
        RecordingObserver<DeltaDiscoveryResponse> obs = new RecordingObserver<>();
        StreamObserver<DeltaDiscoveryRequest> d = server.stub().deltaAggregatedResources(obs);
        d.onNext(DeltaDiscoveryRequest.newBuilder().setNode(TestAdsServer.node("greedy.ns"))
                .setTypeUrl(XdsTypes.ENDPOINT).addResourceNamesSubscribe("c1").build());
        obs.next();
        for (int batch = 0; batch < 6; batch++) {
            DeltaDiscoveryRequest.Builder b = DeltaDiscoveryRequest.newBuilder().setTypeUrl(XdsTypes.ENDPOINT);
            for (int i = 0; i < 10_000; i++) {
                b.addResourceNamesSubscribe("garbage-" + batch + "-" + i);
            }
            d.onNext(b.build());
        }
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(server.registry.byProxyId("greedy.ns")
                .orElseThrow().status().types().get(XdsTypes.ENDPOINT).subscribed()).hasSize(TypeState.MAX_NAMES));
        d.onCompleted();
    }
}
