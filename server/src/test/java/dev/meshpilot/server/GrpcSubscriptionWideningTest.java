package dev.meshpilot.server;

import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.server.learn.LearningOptions;
import dev.meshpilot.server.learn.ScopingMode;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.meshpilot.server.LearnedMesh.API;
import static dev.meshpilot.server.LearnedMesh.DB;
import static dev.meshpilot.server.LearnedMesh.SECRET;
import static dev.meshpilot.server.LearnedMesh.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A proxyless gRPC client of a narrowed workload subscribing to a listener it is not served: inside its upper bound
 * the first answer already holds the listener (no "does not exist" first); outside, nothing is widened.
 */
class GrpcSubscriptionWideningTest {
    private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    private static final Node NODE = Node.newBuilder().setId("sidecar~10.1.1.9~web-1.a~a.svc.cluster.local")
            .setUserAgentName("grpc-java").build();

    @TempDir
    Path dir;
    private MeshpilotServer server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        LearnedMesh.write(dir, null);
        server = MeshpilotServer.start(LearnedMesh.options(dir, ScopingMode.LEARNED, LearningOptions.inMemory()));
        server.ledgerKeeper().accept(List.of(call("web", API, 8080)));
        server.pipeline().reevaluateNow();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.close();
    }

    private List<String> servedHosts() {
        return server.pipeline().entry("web-1.a").orElseThrow().scope().services().stream()
                .map(MeshService::hostname).sorted().toList();
    }

    private boolean subscriptionRecorded(String host) {
        return server.ledgerKeeper().ledger().page(new WorkloadKey("a", "web")).orElseThrow().calls().values()
                .stream().anyMatch(c -> c.destination().host().equals(host)
                        && c.sources().contains(EvidenceSource.GRPC_SUBSCRIPTION));
    }

    @Test
    void sotwSubscriptionInsideTheUpperBound_isAnsweredWithTheListener() throws Exception {
        BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
        StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                .streamAggregatedResources(collect(responses));
        requests.onNext(DiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(LDS)
                .addResourceNames(DB + ":5432").build());

        DiscoveryResponse first = responses.poll(15, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.getResourcesCount()).isEqualTo(1);
        assertThat(servedHosts()).containsExactly(API, DB);
        assertThat(subscriptionRecorded(DB)).isTrue();
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.debugAddress().getPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("meshpilot_learning_widenings_total{path=\"grpc_subscription\"} 1.0")
                .doesNotContain("meshpilot_learning_widenings_total{path=\"access_log\"}");
        requests.onCompleted();
    }

    @Test
    void deltaSubscriptionInsideTheUpperBound_isAnsweredWithTheListener() throws Exception {
        BlockingQueue<DeltaDiscoveryResponse> responses = new LinkedBlockingQueue<>();
        StreamObserver<DeltaDiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                .deltaAggregatedResources(collect(responses));
        requests.onNext(DeltaDiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(LDS)
                .addResourceNamesSubscribe(DB + ":5432").build());

        DeltaDiscoveryResponse first = responses.poll(15, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.getRemovedResourcesList()).isEmpty();
        assertThat(first.getResourcesList()).extracting(Resource::getName).containsExactly(DB + ":5432");
        assertThat(servedHosts()).containsExactly(API, DB);
        requests.onCompleted();
    }

    @Test
    void subscriptionOutsideTheUpperBound_widensNothing() throws Exception {
        BlockingQueue<DeltaDiscoveryResponse> responses = new LinkedBlockingQueue<>();
        StreamObserver<DeltaDiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                .deltaAggregatedResources(collect(responses));
        requests.onNext(DeltaDiscoveryRequest.newBuilder().setNode(NODE).setTypeUrl(LDS)
                .addResourceNamesSubscribe(SECRET + ":9000").build());

        DeltaDiscoveryResponse first = responses.poll(15, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.getRemovedResourcesList()).containsExactly(SECRET + ":9000");
        assertThat(servedHosts()).containsExactly(API);
        assertThat(subscriptionRecorded(SECRET)).isFalse();
        requests.onCompleted();
    }

    private static <T> StreamObserver<T> collect(BlockingQueue<T> into) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                into.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
