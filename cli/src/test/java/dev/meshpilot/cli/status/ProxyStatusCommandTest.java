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

    private static String xds() {
        return "127.0.0.1:" + server.xdsPort();
    }

    /** Runs until the row shows the CDS ACK arrived (it may still be on its way when a test starts). */
    private static Run runSynced(String... args) {
        Run r = run(args);
        for (int i = 0; i < 50 && !r.out().contains("SYNCED"); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            r = run(args);
        }
        return r;
    }

    @Test
    void table_overXds_hasIstioctlsCurrentColumns_andTheSubscribedTypes() {
        Run r = run("proxy-status", "--xds-address", xds());
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).matches("NAME +CLUSTER +ISTIOD +VERSION +SUBSCRIBED TYPES");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).matches("web-0\\.shop +Kubernetes +meshpilot\\S* +2 \\(CDS,LDS\\)");
    }

    @Test
    void verboseTable_overXds_showsSyncedStaleAndIgnored_perType() {
        Run r = runSynced("proxy-status", "--xds-address", xds(), "-v", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).matches("NAME +CLUSTER +CDS +ECDS +EDS +LDS +RDS +ISTIOD +VERSION");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).startsWith("web-0.shop ")
                .containsPattern("SYNCED \\(\\d+s\\) +IGNORED +IGNORED +STALE \\(\\d+s\\) +IGNORED +meshpilot");
    }

    @Test
    void debugHttpAndXds_giveTheSameTable() {
        Run http = runSynced("proxy-status", "--server", url(), "-v", "1");
        Run xds = runSynced("proxy-status", "--xds-address", xds(), "-v", "1");
        assertThat(http.exit()).isZero();
        String ages = "\\(\\d+s\\)";
        // Ages may differ by a second between the two runs, and so may the column widths.
        assertThat(http.out().replaceAll(ages, "(age)").replaceAll(" +", " "))
                .isEqualTo(xds.out().replaceAll(ages, "(age)").replaceAll(" +", " "));
        assertThat(run("proxy-status", "--server", url()).out()).isEqualTo(run("proxy-status", "--xds-address", xds()).out());
    }

    @Test
    void namespaceFilter_keepsOnlyThatNamespace_onBothPaths() {
        assertThat(run("proxy-status", "--server", url(), "-n", "other").out().split("\n")).hasSize(1);
        assertThat(run("proxy-status", "--xds-address", xds(), "-n", "other").out().split("\n")).hasSize(1);
        assertThat(run("ps", "--xds-address", xds(), "-n", "shop").out().split("\n")).hasSize(2);
    }

    @Test
    void jsonOutput_overXds_isTheSynczAnswer_andOverHttpTheServersSyncStatus() {
        Run xds = run("proxy-status", "--xds-address", xds(), "-o", "json");
        assertThat(xds.exit()).isZero();
        assertThat(xds.out()).contains("\"typeUrl\": \"istio.io/debug/syncz\"")
                .contains("\"@type\": \"type.googleapis.com/envoy.service.status.v3.ClientConfig\"")
                .contains("\"id\": \"web-0.shop\"").contains("\"controlPlane\"");
        assertThat(run("proxy-status", "--xds-address", xds(), "-o", "json", "-n", "other").out())
                .doesNotContain("web-0.shop");
        assertThat(run("proxy-status", "--xds-address", xds(), "-o", "yaml").out()).contains("id: web-0.shop");
        Run http = run("proxy-status", "--server", url(), "-o", "json");
        assertThat(http.exit()).isZero();
        assertThat(http.out()).contains("\"proxy\" : \"web-0.shop\"");
    }

    @Test
    void unreachableServer_isARuntimeFailureWithOneLine_onBothPaths() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = run("proxy-status", "--server", "http://127.0.0.1:" + port);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: cannot reach meshpilot at").doesNotContain("Exception:").hasLineCount(1);
        Run x = run("proxy-status", "--xds-address", "127.0.0.1:" + port);
        assertThat(x.exit()).isEqualTo(1);
        assertThat(x.err()).startsWith("error: cannot reach meshpilot's xDS port at 127.0.0.1:" + port)
                .doesNotContain("Exception").hasLineCount(1);
    }

    @Test
    void badOutputFormatAddressVerbosityOrBothSources_isAUsageError() {
        assertThat(run("proxy-status", "--server", url(), "-o", "wide").exit()).isEqualTo(2);
        assertThat(run("proxy-status", "--server", "not a url").exit()).isEqualTo(2);
        assertThat(run("proxy-status", "--xds-address", "localhost").exit()).isEqualTo(2);
        assertThat(run("proxy-status", "--xds-address", "127.0.0.1:99999").exit()).isEqualTo(2);
        assertThat(run("proxy-status", "--xds-address", xds(), "-v", "2").exit()).isEqualTo(2);
        Run both = run("proxy-status", "--xds-address", xds(), "--server", url());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--server and --xds-address");
    }

    /** The proxy's config dump as its Envoy would print it: proto field names, with update times. */
    private static Path envoyDump(String name, java.util.function.UnaryOperator<String> edit) throws Exception {
        var response = IstioDebugClient.request("127.0.0.1", server.xdsPort(), ProxyStatusCommand.CONFIG_DUMP,
                java.util.List.of("web-0.shop"), Duration.ofSeconds(10));
        String json = com.google.protobuf.util.JsonFormat.printer().preservingProtoFieldNames()
                .usingTypeRegistry(com.google.protobuf.util.JsonFormat.TypeRegistry.newBuilder()
                        .add(dev.meshpilot.xds.json.XdsTypeRegistry.types())
                        .add(io.envoyproxy.envoy.admin.v3.BootstrapConfigDump.getDescriptor())
                        .add(io.envoyproxy.envoy.admin.v3.ClustersConfigDump.getDescriptor())
                        .add(io.envoyproxy.envoy.admin.v3.ListenersConfigDump.getDescriptor())
                        .add(io.envoyproxy.envoy.admin.v3.ScopedRoutesConfigDump.getDescriptor())
                        .add(io.envoyproxy.envoy.admin.v3.RoutesConfigDump.getDescriptor())
                        .add(io.envoyproxy.envoy.admin.v3.SecretsConfigDump.getDescriptor()).build())
                .print(io.envoyproxy.envoy.admin.v3.ConfigDump.newBuilder()
                        .addAllConfigs(response.getResourcesList()).build());
        assertThat(json).contains("\"dynamic_active_clusters\"");
        Path file = dir.resolve(name);
        Files.writeString(file, edit.apply(json));
        return file;
    }

    @Test
    void singleProxy_againstItsOwnConfigDump_matches_overXdsAndOverHttp() throws Exception {
        Path same = envoyDump("same.json", s -> s);
        Run xds = run("proxy-status", "web-0.shop", "--file", same.toString(), "--xds-address", xds());
        assertThat(xds.exit()).as(xds.err()).isZero();
        assertThat(xds.out()).isEqualTo("Clusters Match\nListeners Match\nRoutes Match\n");
        Run http = run("proxy-status", "web-0", "-n", "shop", "--file", same.toString(), "--server", url());
        assertThat(http.exit()).as(http.err()).isZero();
        assertThat(http.out()).isEqualTo(xds.out());
    }

    @Test
    void singleProxy_withAClusterMissingOnEnvoy_printsTheClusterDiff() throws Exception {
        Path missing = envoyDump("missing.json", s -> s.replace("\"dynamic_active_clusters\"", "\"was\""));
        Run r = run("proxy-status", "web-0.shop", "--file", missing.toString(), "--xds-address", xds());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Clusters Don't Match\n--- Istiod Clusters\n+++ Envoy Clusters\n")
                .contains("-    \"dynamicActiveClusters\": [").contains("\nListeners Match\n");
    }

    @Test
    void singleProxy_notConnected_isARuntimeFailure_withoutFile_aUsageError() throws Exception {
        Path same = envoyDump("same2.json", s -> s);
        Run r = run("proxy-status", "nobody.shop", "--file", same.toString(), "--xds-address", xds());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: proxy nobody.shop is not connected to meshpilot at " + xds() + "\n");
        assertThat(run("proxy-status", "web-0.shop", "--xds-address", xds()).exit()).isEqualTo(2);
        Files.writeString(dir.resolve("bad.json"), "{\"configs\": 3}");
        Run bad = run("proxy-status", "web-0.shop", "--file", dir.resolve("bad.json").toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("not an Envoy config dump");
    }

    @Test
    void ages_areHumanised_likeKubernetes() {
        assertThat(StatusTable.human(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(StatusTable.human(Duration.ofSeconds(182))).isEqualTo("3m2s");
        assertThat(StatusTable.human(Duration.ofMinutes(42))).isEqualTo("42m");
        assertThat(StatusTable.human(Duration.ofMinutes(5 * 60 + 3))).isEqualTo("5h3m");
        assertThat(StatusTable.human(Duration.ofHours(30))).isEqualTo("30h");
        assertThat(StatusTable.human(Duration.ofDays(6))).isEqualTo("6d");
        assertThat(StatusTable.human(Duration.ofHours(3 * 24 + 4))).isEqualTo("3d4h");
        assertThat(StatusTable.human(Duration.ofDays(20))).isEqualTo("20d");
        assertThat(StatusTable.human(Duration.ofDays(365 * 2 + 30))).isEqualTo("2y30d");
        assertThat(StatusTable.human(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
        assertThat(StatusTable.status(new TypeSync("t", "UNKNOWN", null), Instant.now())).isEqualTo("IGNORED");
        assertThat(StatusTable.status(new TypeSync("t", "NOT_SENT", null), Instant.now())).isEqualTo("NOT SENT");
    }
}
