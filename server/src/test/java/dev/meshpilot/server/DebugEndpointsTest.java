package dev.meshpilot.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.server.push.PushSettings;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The debug HTTP endpoints of a real server on the bundled bookinfo mesh, with one Envoy-like client connected. */
class DebugEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static MeshpilotServer server;
    private static EnvoyLikeClient client;

    @BeforeAll
    static void start() throws IOException {
        Path bookinfo = Path.of(System.getProperty("meshpilot.repo.root", "..")).resolve("examples/bookinfo");
        try (Stream<Path> files = Files.list(bookinfo)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        server = MeshpilotServer.start(new ServerOptions(dir, "127.0.0.1", 0, "127.0.0.1", 0, "istio-system",
                new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)), 4));
        client = new EnvoyLikeClient(server.xdsPort(), "productpage-v1-0.default");
        client.awaitInitialConfig();
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    static HttpResponse<String> get(String pathAndQuery) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.debugAddress().getPort() + pathAndQuery);
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ready_answers200() throws Exception {
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void syncz_listsTheProxy_withSyncedTypes() throws Exception {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode syncz = JSON.readTree(get("/debug/syncz").body());
            assertThat(syncz).hasSize(1);
            JsonNode p = syncz.get(0);
            assertThat(p.get("proxy").asText()).isEqualTo("productpage-v1-0.default");
            assertThat(p.get("cluster_sent").asText()).isEqualTo(p.get("cluster_acked").asText());
            assertThat(p.at("/resources/type.googleapis.com~1envoy.config.cluster.v3.Cluster/status").asText())
                    .isEqualTo("SYNCED");
        });
        assertThat(JSON.readTree(get("/debug/syncz?namespace=other").body())).isEmpty();
    }

    @Test
    void configDump_withoutProxyId_is400_withIstiodsMessage() throws Exception {
        HttpResponse<String> r = get("/debug/config_dump");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("You must provide a proxyID in the query string");
    }

    @Test
    void configDump_ofUnknownProxy_is404_withIstiodsMessage() throws Exception {
        HttpResponse<String> r = get("/debug/config_dump?proxyID=nobody.nowhere");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("Proxy not connected to this Pilot instance. It may be connected to another instance.");
    }

    @Test
    void configDump_showsWhatWasSent_inCamelCase_inIstiodsSectionOrder() throws Exception {
        HttpResponse<String> r = get("/debug/config_dump?proxyID=productpage-v1-0.default");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode dump = JSON.readTree(r.body());
        List<String> types = new ArrayList<>();
        dump.get("configs").forEach(c -> types.add(c.get("@type").asText().replaceFirst(".*\\.", "")));
        assertThat(types).containsExactly("BootstrapConfigDump", "ClustersConfigDump", "ListenersConfigDump",
                "ScopedRoutesConfigDump", "RoutesConfigDump", "SecretsConfigDump");
        JsonNode clusters = dump.get("configs").get(1);
        List<String> names = new ArrayList<>();
        clusters.get("dynamicActiveClusters").forEach(c -> names.add(c.at("/cluster/name").asText()));
        assertThat(names).contains("outbound|9080||reviews.default.svc.cluster.local");
        assertThat(clusters.get("versionInfo").asText()).isNotEmpty();
        JsonNode listeners = dump.get("configs").get(2);
        assertThat(listeners.get("dynamicListeners").get(0).at("/activeState/listener/name").asText()).isNotEmpty();

        String withEdsBody = get("/debug/config_dump?proxyID=productpage-v1-0.default&include_eds").body();
        io.envoyproxy.envoy.admin.v3.ConfigDump parsed = dev.meshpilot.xds.json.XdsJson.parse(withEdsBody,
                io.envoyproxy.envoy.admin.v3.ConfigDump.newBuilder()).build();
        assertThat(parsed.getConfigsCount()).isEqualTo(7);
        JsonNode withEds = JSON.readTree(withEdsBody);
        assertThat(withEds.get("configs").get(2).get("@type").asText()).endsWith("EndpointsConfigDump");
        assertThat(withEds.get("configs").get(2).get("dynamicEndpointConfigs")).isNotEmpty();
    }

    @Test
    void scopez_withHost_explainsOnlyThatHost() throws Exception {
        HttpResponse<String> r = get("/debug/scopez?proxyID=productpage-v1-0.default&text&host=ratings.default.svc.cluster.local");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("ratings.default.svc.cluster.local").doesNotContain("details.default.svc.cluster.local");
    }

    @Test
    void footprintz_measuresEachConnectedProxyFromWhatItWasServed() throws Exception {
        HttpResponse<String> r = get("/debug/footprintz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode report = JSON.readTree(r.body());
        assertThat(report.toString()).contains("productpage-v1-0.default");
        String dump = get("/debug/config_dump?proxyID=productpage-v1-0.default").body();
        int clusters = JSON.readTree(dump).get("configs").get(1).get("dynamicActiveClusters").size();
        assertThat(report.toString()).contains("\"clusters\":" + clusters);
    }

    @Test
    void ui_isTheFootprintReportAsOneSelfContainedPage() throws Exception {
        HttpResponse<String> r = get("/ui");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(r.body()).startsWith("<!DOCTYPE html>").contains("<svg").contains("productpage-v1-0")
                .doesNotContainPattern("(src|href)=\"https?://");
    }

    @Test
    void registryz_listsEveryService() throws Exception {
        JsonNode services = JSON.readTree(get("/debug/registryz").body());
        List<String> hosts = new ArrayList<>();
        services.forEach(s -> hosts.add(s.get("hostname").asText()));
        assertThat(hosts).contains("reviews.default.svc.cluster.local", "productpage.default.svc.cluster.local");
        assertThat(services.get(0).at("/Attributes/Namespace").asText()).isEqualTo("default");
    }

    @Test
    void scopez_explainsTheScopeOfAConnectedProxy_andOfARegistryPod() throws Exception {
        HttpResponse<String> r = get("/debug/scopez?proxyID=productpage-v1-0.default");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("proxyId").asText()).isEqualTo("productpage-v1-0.default");
        HttpResponse<String> text = get("/debug/scopez?proxyID=details-v1-0.default&text");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.body()).contains("details-v1-0.default");
        assertThat(get("/debug/scopez?proxyID=ghost.nowhere").statusCode()).isEqualTo(404);
        assertThat(get("/debug/scopez").statusCode()).isEqualTo(400);
    }

    @Test
    void pushStatus_showsTheLastPush_andServicesWithoutEndpoints_inIstiodsShape() throws Exception {
        JsonNode before = JSON.readTree(get("/debug/push_status").body());
        assertThat(before.has("ProxyStatus")).isTrue();
        assertThat(before.at("/ProxyStatus/pilot_eds_no_instances").isMissingNode()).as(before.toString()).isTrue();
        long pushesBefore = before.at("/LastPush/number").asLong(0);

        Files.writeString(dir.resolve("lonely.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: lonely, namespace: default}
                spec:
                  selector: {app: lonely}
                  ports: [{name: http, port: 8000}]
                """);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode status = JSON.readTree(get("/debug/push_status").body());
            assertThat(status.at("/LastPush/number").asLong()).isGreaterThan(pushesBefore);
            assertThat(status.at("/ProxyStatus/pilot_eds_no_instances").has("outbound|8000||lonely.default.svc.cluster.local"))
                    .as(status.toString()).isTrue();
            assertThat(status.at("/LastPush/reason").asText()).contains("service");
            assertThat(java.time.Instant.parse(status.get("End").asText()))
                    .isAfterOrEqualTo(java.time.Instant.parse(status.get("Start").asText()));
        });
        assertThat(JSON.readTree(get("/debug/list").body()).toString()).contains("push_status");
        // the other tests compare what was decided with what was sent: let the proxy have the new cluster first
        await().atMost(Duration.ofSeconds(15)).until(() -> get("/debug/config_dump?proxyID=productpage-v1-0.default")
                .body().contains("outbound|8000||lonely.default.svc.cluster.local"));
    }

    @Test
    void metrics_includeTheJvmAndTheProcess() throws Exception {
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("jvm_memory_used_bytes{area=\"heap\"", "jvm_buffer_memory_used_bytes{id=\"direct\"}",
                "jvm_threads_live_threads", "jvm_gc_max_data_size_bytes", "jvm_classes_loaded_classes",
                "process_files_open_files", "process_cpu_usage", "process_uptime_seconds");
    }

    @Test
    void metrics_useIstioNames() throws Exception {
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("pilot_xds{", "pilot_xds_pushes_total{type=\"cds\"}",
                "pilot_xds_config_size_bytes", "pilot_services ");
    }

    @Test
    void unknownPathAndMethod_areRefusedPlainly() throws Exception {
        assertThat(get("/debug/syncz/extra").statusCode()).isEqualTo(404);
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.debugAddress().getPort() + "/debug/syncz")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }
}
