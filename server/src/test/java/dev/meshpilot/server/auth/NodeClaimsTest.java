package dev.meshpilot.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.server.MeshpilotServer;
import dev.meshpilot.server.ServerOptions;
import dev.meshpilot.server.push.PushSettings;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a node may claim about itself, on the plaintext port of a real server: declared labels count only for a
 * pod the registry does not know, and a second stream reusing a connected proxy's id never shadows it.
 */
class NodeClaimsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static MeshpilotServer server;

    @BeforeAll
    static void start() throws IOException {
        AuthMesh.write(dir);
        server = MeshpilotServer.start(new ServerOptions(dir, "127.0.0.1", 0, "127.0.0.1", 0, "istio-system",
                new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)), 4));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.debugAddress().getPort() + path);
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void knownPodDeclaringLabels_isScopedByTheRegistrysLabels() {
        AdsProbe.Outcome o = AdsProbe.sotw(server.xdsPort(), AdsProbe.plaintext(), Optional.empty(),
                AdsProbe.node("productpage-v1-0.default", Map.of("app", "admin-tool")));
        assertThat(o.clusters().orElseThrow()).contains(AuthMesh.DETAILS_CLUSTER)
                .doesNotContain(AuthMesh.SECRET_CLUSTER);
    }

    @Test
    void unknownPodDeclaringLabels_isScopedByThem_inItsNamespace() {
        AdsProbe.Outcome o = AdsProbe.sotw(server.xdsPort(), AdsProbe.plaintext(), Optional.empty(),
                AdsProbe.node("tool-0.default", Map.of("app", "admin-tool")));
        assertThat(o.clusters().orElseThrow()).contains(AuthMesh.SECRET_CLUSTER);
    }

    @Test
    void secondStreamClaimingAConnectedProxy_isReported_andNeverShadowsTheFirst() throws Exception {
        String proxy = "details-v1-0.default";
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort()).usePlaintext().build();
        try {
            LinkedBlockingQueue<DiscoveryResponse> first = new LinkedBlockingQueue<>();
            StreamObserver<DiscoveryRequest> firstStream = open(channel, first);
            firstStream.onNext(DiscoveryRequest.newBuilder().setNode(AdsProbe.node(proxy, Map.of()))
                    .setTypeUrl(AdsProbe.CDS).build());
            DiscoveryResponse cds = first.poll(15, TimeUnit.SECONDS);
            assertThat(cds).isNotNull();
            firstStream.onNext(DiscoveryRequest.newBuilder().setTypeUrl(AdsProbe.CDS).setVersionInfo(cds.getVersionInfo())
                    .setResponseNonce(cds.getNonce()).build());
            int clusters = cds.getResourcesCount();

            // The impostor subscribes to listeners only, so its own CDS view is empty.
            LinkedBlockingQueue<DiscoveryResponse> second = new LinkedBlockingQueue<>();
            StreamObserver<DiscoveryRequest> secondStream = open(channel, second);
            secondStream.onNext(DiscoveryRequest.newBuilder().setNode(AdsProbe.node(proxy, Map.of()))
                    .setTypeUrl("type.googleapis.com/envoy.config.listener.v3.Listener").build());
            assertThat(second.poll(15, TimeUnit.SECONDS)).isNotNull();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode duplicates = JSON.readTree(get("/debug/authz")).get("duplicateStreams");
                assertThat(duplicates).hasSize(1);
                assertThat(duplicates.get(0).get("proxy").asText()).isEqualTo(proxy);
                assertThat(duplicates.get(0).get("connections")).hasSize(2);
            });
            JsonNode dump = JSON.readTree(get("/debug/config_dump?proxyID=" + proxy));
            assertThat(dump.get("configs").get(1).get("dynamicActiveClusters")).hasSize(clusters);
            List<JsonNode> syncz = new ArrayList<>();
            JSON.readTree(get("/debug/syncz")).forEach(e -> {
                if (e.get("proxy").asText().equals(proxy)) {
                    syncz.add(e);
                }
            });
            assertThat(syncz).hasSize(2).allSatisfy(e -> assertThat(e.get("duplicate_streams")).hasSize(2));
            assertThat(get("/metrics")).containsPattern("meshpilot_xds_duplicate_streams_total [1-9]");
            secondStream.onCompleted();
            firstStream.onCompleted();
        } finally {
            channel.shutdownNow();
        }
    }

    private static StreamObserver<DiscoveryRequest> open(ManagedChannel channel,
                                                         LinkedBlockingQueue<DiscoveryResponse> into) {
        return AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse r) {
                into.add(r);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
    }
}
