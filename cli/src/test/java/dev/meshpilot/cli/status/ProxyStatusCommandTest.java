package dev.meshpilot.cli.status;

import dev.meshpilot.cli.Main;
import dev.meshpilot.server.MeshpilotServer;
import dev.meshpilot.server.ServerOptions;
import dev.meshpilot.server.push.PushSettings;
import io.envoyproxy.envoy.config.core.v3.Node;
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
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyStatusCommandTest {
    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";

    @TempDir
    static Path dir;
    private static MeshpilotServer server;
    private static ManagedChannel channel;
    private static StreamObserver<DiscoveryRequest> requests;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("mesh.yaml"), """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  namespace: shop
                spec:
                  selector:
                    app: web
                  ports:
                  - name: http
                    port: 80
                """);
        server = MeshpilotServer.start(new ServerOptions(dir, "127.0.0.1", 0, "127.0.0.1", 0, "istio-system",
                new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)), 2));
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
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(CDS).setNode(Node.newBuilder()
                .setId("sidecar~10.0.0.9~web-0.shop~shop.svc.cluster.local")).build());
        DiscoveryResponse cds = received.poll(10, TimeUnit.SECONDS);
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(CDS).setResponseNonce(cds.getNonce())
                .setVersionInfo(cds.getVersionInfo()).build());
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS).build());
        assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull(); // LDS, never acknowledged
    }

    @AfterAll
    static void stop() {
        requests.onCompleted();
        channel.shutdownNow();
        server.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String url() {
        return "http://127.0.0.1:" + server.debugAddress().getPort();
    }

    @Test
    void table_showsSyncedStaleNotSentAndIgnored_perType() throws InterruptedException {
        Run r = run("proxy-status", "--server", url());
        for (int i = 0; i < 50 && !r.out().contains("SYNCED"); i++) {
            Thread.sleep(100); // the ACK may still be on its way
            r = run("proxy-status", "--server", url());
        }
        assertThat(r.exit()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).matches("NAME +CLUSTER +CDS +LDS +EDS +RDS +ECDS +ISTIOD +VERSION");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).startsWith("web-0.shop ").contains("Kubernetes")
                .containsPattern("SYNCED \\(\\d+s\\) +STALE \\(\\d+s\\) +IGNORED +IGNORED +IGNORED");
    }

    @Test
    void namespaceFilter_keepsOnlyThatNamespace() {
        Run r = run("proxy-status", "--server", url(), "-n", "other");
        assertThat(r.out().split("\n")).hasSize(1);
    }

    @Test
    void jsonOutput_isTheServersSyncStatus() {
        Run r = run("proxy-status", "--server", url(), "-o", "json");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("\"proxy\" : \"web-0.shop\"");
    }

    @Test
    void unreachableServer_isARuntimeFailureWithOneLine() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = run("proxy-status", "--server", "http://127.0.0.1:" + port);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: cannot reach meshpilot at").doesNotContain("Exception:").hasLineCount(1);
    }

    @Test
    void badOutputFormatOrUrl_isAUsageError() {
        assertThat(run("proxy-status", "--server", url(), "-o", "yaml").exit()).isEqualTo(2);
        assertThat(run("proxy-status", "--server", "not a url").exit()).isEqualTo(2);
    }

    @Test
    void ages_areHumanised_likeKubernetes() {
        assertThat(StatusTable.human(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(StatusTable.human(Duration.ofSeconds(182))).isEqualTo("3m2s");
        assertThat(StatusTable.human(Duration.ofMinutes(42))).isEqualTo("42m");
        assertThat(StatusTable.human(Duration.ofMinutes(5 * 60 + 3))).isEqualTo("5h3m");
        assertThat(StatusTable.human(Duration.ofHours(30))).isEqualTo("30h");
        assertThat(StatusTable.human(Duration.ofDays(6))).isEqualTo("6d");
        assertThat(StatusTable.status(com.fasterxml.jackson.databind.node.MissingNode.getInstance(), Instant.now()))
                .isEqualTo("IGNORED");
    }
}
