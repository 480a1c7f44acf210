package dev.meshpilot.server;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.server.push.PushSettings;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real server on examples/shared-cluster-root-default (255 pods, 14 namespaces, a scope each): {@code /ready}
 * answers 200 only once the warm start is over and then says what it generated; an istio-proxy of a registry pod
 * attaching afterwards is served from what was warmed; with a zero budget there is no warm start and no line.
 */
class WarmStartServerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path MESH = Path.of(System.getProperty("meshpilot.repo.root", ".."))
            .resolve("examples/shared-cluster-root-default");

    private MeshpilotServer server;
    private ManagedChannel channel;

    @AfterEach
    void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(PushSettings push) throws Exception {
        server = MeshpilotServer.start(new ServerOptions(MESH, "127.0.0.1", 0, "127.0.0.1", 0, "istio-system",
                push, 4));
    }

    private HttpResponse<String> ready() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.debugAddress().getPort() + "/ready");
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code /ready} until it answers 200; returns every answer seen, the 200 last. */
    private List<HttpResponse<String>> pollUntilReady() {
        List<HttpResponse<String>> seen = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20)).until(() -> {
            HttpResponse<String> r = ready();
            seen.add(r);
            return r.statusCode() == 200;
        });
        return seen;
    }

    @Test
    void ready_waitsForTheWarmStart_thenReportsItsCounts() throws Exception {
        start(new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)).withWarmStartBudget(Duration.ofMinutes(2)));

        List<HttpResponse<String>> seen = pollUntilReady();

        for (HttpResponse<String> r : seen) {
            if (!r.body().contains(" proxies generated in ")) {
                assertThat(r.statusCode()).as("/ready before the warm start ended: %s", r.body()).isEqualTo(503);
                assertThat(r.body()).startsWith("not ready\n");
            }
        }
        String body = seen.get(seen.size() - 1).body();
        assertThat(body).startsWith("ready\nsource: ok").contains("\nwarm start: 14 of 14 scopes and 255 of 255"
                + " proxies generated in ").doesNotContain("budget spent");
        assertThat(server.pipeline().state().generatedCount()).isEqualTo(14);

        // an istio-proxy of a registry pod attaching now is served what was warmed: nothing is generated
        WorkloadInstance pod = server.pipeline().state().snapshot().findWorkload("productpage-v1-0", "bookinfo")
                .orElseThrow();
        DiscoveryResponse clusters = connect(pod).get(20, TimeUnit.SECONDS);
        assertThat(clusters.getResourcesCount()).isGreaterThan(1);
        assertThat(server.pipeline().entries()).hasSize(1);
        assertThat(server.pipeline().state().generatedCount()).isEqualTo(14);
    }

    @Test
    void zeroBudget_readyHasNoWarmStartLine_andNothingIsGeneratedAhead() throws Exception {
        start(new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)).withWarmStartBudget(Duration.ZERO));

        List<HttpResponse<String>> seen = pollUntilReady();

        String body = seen.get(seen.size() - 1).body();
        assertThat(body).startsWith("ready\nsource: ok").doesNotContain("warm start").doesNotContain("off");
        assertThat(body.lines().count()).isEqualTo(2);
        assertThat(server.pipeline().state().generatedCount()).isZero();

        WorkloadInstance pod = server.pipeline().state().snapshot().findWorkload("productpage-v1-0", "bookinfo")
                .orElseThrow();
        connect(pod).get(20, TimeUnit.SECONDS);
        assertThat(server.pipeline().state().generatedCount()).as("generated on connect").isEqualTo(1);
    }

    /** An istio-proxy-like ADS stream of this pod (its IP, ISTIO_VERSION set) asking for clusters. */
    private CompletableFuture<DiscoveryResponse> connect(WorkloadInstance pod) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort()).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        Node node = Node.newBuilder().setId("sidecar~" + pod.ip() + "~" + pod.name() + "." + pod.namespace() + "~"
                        + pod.namespace() + ".svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("ISTIO_VERSION",
                        Value.newBuilder().setStringValue("1.24.0").build()))
                .build();
        CompletableFuture<DiscoveryResponse> first = new CompletableFuture<>();
        ClusterRequests.ask(channel, node, first);
        return first;
    }
}
