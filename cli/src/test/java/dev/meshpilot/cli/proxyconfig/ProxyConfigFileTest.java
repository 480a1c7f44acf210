package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.cli.CliRun;
import dev.meshpilot.server.MeshpilotServer;
import dev.meshpilot.server.ServerOptions;
import dev.meshpilot.server.push.PushSettings;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code proxy-config ... --file}: a dump written by {@code proxy-config all -o json --server} renders exactly as
 * the live {@code --server} view (a real server, a real ADS client over loopback that subscribed to every type),
 * and bad files are one clear line with exit code 2.
 */
class ProxyConfigFileTest {
    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    private static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    private static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    private static final String POD = "reviews-v2-0.default";

    @TempDir
    static Path dir;
    private static MeshpilotServer server;
    private static ManagedChannel channel;
    private static StreamObserver<DiscoveryRequest> requests;
    private static Path dump;

    @BeforeAll
    static void start() throws Exception {
        server = MeshpilotServer.start(new ServerOptions(CliRun.repo("examples/bookinfo"), "127.0.0.1", 0,
                "127.0.0.1", 0, "istio-system", new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)), 2));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort()).usePlaintext().build();
        LinkedBlockingQueue<DiscoveryResponse> received = new LinkedBlockingQueue<>();
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse value) {
                received.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        Node node = Node.newBuilder().setId("sidecar~10.0.0.9~" + POD + "~default.svc.cluster.local").build();
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(CDS).setNode(node).build());
        DiscoveryResponse cds = next(received, CDS);
        ack(cds);
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS).build());
        DiscoveryResponse lds = next(received, LDS);
        ack(lds);
        TreeSet<String> clusters = new TreeSet<>();
        for (var any : cds.getResourcesList()) {
            Cluster c = any.unpack(Cluster.class);
            if (c.getType() == Cluster.DiscoveryType.EDS) {
                clusters.add(c.getName());
            }
        }
        TreeSet<String> routes = new TreeSet<>();
        for (var any : lds.getResourcesList()) {
            Listener l = any.unpack(Listener.class);
            for (FilterChain chain : l.getFilterChainsList()) {
                for (Filter f : chain.getFiltersList()) {
                    if (f.getTypedConfig().is(HttpConnectionManager.class)) {
                        HttpConnectionManager hcm = f.getTypedConfig().unpack(HttpConnectionManager.class);
                        if (hcm.hasRds()) {
                            routes.add(hcm.getRds().getRouteConfigName());
                        }
                    }
                }
            }
        }
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(EDS).addAllResourceNames(clusters).build());
        DiscoveryResponse eds = next(received, EDS);
        // a state-of-the-world ACK repeats the subscription, or it would unsubscribe
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(EDS).addAllResourceNames(clusters)
                .setResponseNonce(eds.getNonce()).setVersionInfo(eds.getVersionInfo()).build());
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(RDS).addAllResourceNames(routes).build());
        DiscoveryResponse rds = next(received, RDS);
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(RDS).addAllResourceNames(routes)
                .setResponseNonce(rds.getNonce()).setVersionInfo(rds.getVersionInfo()).build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            CliRun run = CliRun.of("proxy-config", "all", POD, "--server", url(), "-o", "json");
            assertThat(run.out()).as(run.err()).contains("\"dynamicRouteConfigs\"").contains("\"dynamicEndpointConfigs\"");
        });
        CliRun all = CliRun.of("proxy-config", "all", POD, "--server", url(), "-o", "json");
        dump = dir.resolve("dump.json");
        Files.writeString(dump, all.out());
    }

    private static DiscoveryResponse next(LinkedBlockingQueue<DiscoveryResponse> received, String type)
            throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            DiscoveryResponse r = received.poll(10, TimeUnit.SECONDS);
            assertThat(r).as("a " + type + " response").isNotNull();
            if (r.getTypeUrl().equals(type)) {
                return r;
            }
            ack(r);
        }
        throw new AssertionError("no " + type + " response");
    }

    private static void ack(DiscoveryResponse r) {
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(r.getTypeUrl()).setResponseNonce(r.getNonce())
                .setVersionInfo(r.getVersionInfo()).build());
    }

    @AfterAll
    static void stop() {
        requests.onCompleted();
        channel.shutdownNow();
        server.close();
    }

    private static String url() {
        return "http://127.0.0.1:" + server.debugAddress().getPort();
    }

    @ParameterizedTest
    @ValueSource(strings = {"clusters", "listeners", "routes", "endpoints", "eds", "all"})
    void dumpWrittenByAllJson_rendersThroughFile_exactlyAsTheLiveServerView(String command) {
        CliRun live = CliRun.of("proxy-config", command, POD, "--server", url());
        CliRun file = CliRun.of("proxy-config", command, "--file", dump.toString());
        assertThat(live.exitCode()).as(live.err()).isZero();
        assertThat(file.exitCode()).as(file.err()).isZero();
        assertThat(file.out()).isEqualTo(live.out()).contains(command.equals("listeners") ? "15006" : "reviews");
    }

    @Test
    void filtersAndJson_selectTheSameResourcesLiveAndFromFile() {
        String[][] cases = {
                {"clusters", "--fqdn", "ratings", "-o", "json"},
                {"listeners", "--port", "15006", "-o", "yaml"},
                {"routes", "--name", "9080", "-o", "json"},
                {"endpoints", "--status", "healthy", "--port", "9080"},
                {"listeners", "--verbose=false", "--type", "tcp"},
        };
        for (String[] c : cases) {
            List<String> liveArgs = new ArrayList<>(List.of("proxy-config", c[0], POD, "--server", url()));
            List<String> fileArgs = new ArrayList<>(List.of("proxy-config", c[0], "-f", dump.toString()));
            for (int i = 1; i < c.length; i++) {
                liveArgs.add(c[i]);
                fileArgs.add(c[i]);
            }
            CliRun live = CliRun.of(liveArgs.toArray(String[]::new));
            CliRun file = CliRun.of(fileArgs.toArray(String[]::new));
            assertThat(file.out()).as(String.join(" ", c)).isEqualTo(live.out()).isNotBlank();
        }
        CliRun ratings = CliRun.of("proxy-config", "clusters", "-f", dump.toString(), "--fqdn", "ratings", "-o", "json");
        assertThat(ratings.out()).contains("ratings.default.svc.cluster.local").doesNotContain("details.default");
    }

    @Test
    void allJsonWithFile_printsTheFileItself() throws Exception {
        CliRun run = CliRun.of("proxy-config", "all", "--file", dump.toString(), "-o", "json");
        assertThat(run.out().strip()).isEqualTo(Files.readString(dump).strip());
    }

    @Test
    void badFiles_areOneLineAndExitTwo() throws Exception {
        Path notJson = dir.resolve("notes.txt");
        Files.writeString(notJson, "clusters: many\n");
        Path truncated = dir.resolve("cut.json");
        String whole = Files.readString(dump);
        Files.writeString(truncated, whole.substring(0, whole.length() / 3));
        Path ztunnel = dir.resolve("ztunnel.json");
        Files.writeString(ztunnel, "{\"workloads\": {}, \"services\": {}, \"policies\": {}}");
        Path missing = dir.resolve("absent.json");
        String[][] expected = {
                {notJson.toString(), "is not valid JSON at line 1"},
                {truncated.toString(), "is truncated"},
                {ztunnel.toString(), "ztunnel's config dump"},
                {missing.toString(), "does not exist"},
                {dir.toString(), "is a directory"},
        };
        for (String[] e : expected) {
            CliRun run = CliRun.of("proxy-config", "clusters", "--file", e[0]);
            assertThat(run.exitCode()).as(e[0]).isEqualTo(2);
            assertThat(run.err()).startsWith("error: ").contains(e[1]).doesNotContain("Exception").hasLineCount(1);
        }
        CliRun both = CliRun.of("proxy-config", "clusters", POD, "--file", dump.toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
    }
}
