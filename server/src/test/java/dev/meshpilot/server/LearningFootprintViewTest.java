package dev.meshpilot.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.server.accesslog.AccessLogClient;
import dev.meshpilot.server.learn.LearningOptions;
import dev.meshpilot.server.learn.ScopingMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.meshpilot.server.LearnedMesh.API;
import static dev.meshpilot.server.LearnedMesh.call;
import static dev.meshpilot.server.accesslog.AccessLogs.common;
import static dev.meshpilot.server.accesslog.AccessLogs.identifier;
import static dev.meshpilot.server.accesslog.AccessLogs.nodeId;
import static dev.meshpilot.server.accesslog.AccessLogs.tcp;
import static dev.meshpilot.server.accesslog.AccessLogs.tcpMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /debug/footprintz} and {@code /ui} show what learned scoping saves per connected proxy and mesh-wide, and
 * the fallback calls per workload, over real HTTP with Envoy-like clients connected.
 */
class LearningFootprintViewTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> PROXIES = List.of("web-0.a", "hand-0.a", "api-0.b");

    @TempDir
    Path dir;
    private MeshpilotServer server;
    private final List<EnvoyLikeClient> clients = new ArrayList<>();
    private AccessLogClient accessLog;

    private void start(ScopingMode mode) throws Exception {
        LearnedMesh.write(dir, null);
        server = MeshpilotServer.start(LearnedMesh.options(dir, mode, LearningOptions.inMemory()));
        for (String id : PROXIES) {
            EnvoyLikeClient c = new EnvoyLikeClient(server.xdsPort(), id);
            c.awaitInitialConfig();
            clients.add(c);
        }
        server.ledgerKeeper().accept(List.of(call("web", API, 8080), call("hand", API, 8080)));
        server.pipeline().reevaluateNow();
    }

    @AfterEach
    void stop() throws Exception {
        if (accessLog != null) {
            accessLog.close();
        }
        clients.forEach(EnvoyLikeClient::close);
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.debugAddress().getPort()
                + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode footprintz() throws Exception {
        HttpResponse<String> r = get("/debug/footprintz");
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode row(JsonNode report, String proxy) {
        for (JsonNode w : report.get("workloads")) {
            if (w.get("proxy").asText().equals(proxy)) {
                return w;
            }
        }
        throw new AssertionError("no row for " + proxy + " in " + report);
    }

    @Test
    void learnedMode_comparesTheUpperBoundWithWhatIsServed() throws Exception {
        start(ScopingMode.LEARNED);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                server.pipeline().entry("web-0.a").orElseThrow().scope().key().learned());

        JsonNode report = footprintz();
        JsonNode web = row(report, "web-0.a");
        assertThat(report.get("proposal").asText()).startsWith("upper bound -> learned scope");
        assertThat(web.at("/proposed/scope").asText()).isEqualTo("meshpilot-learned");
        assertThat(web.at("/proposed/clusters").asInt()) // what web-0.a is served
                .isEqualTo(server.pipeline().entry("web-0.a").orElseThrow().resources().clusters().size());
        assertThat(web.at("/now/clusters").asInt()).isGreaterThan(web.at("/proposed/clusters").asInt());
        JsonNode hand = row(report, "hand-0.a"); // a hand-written Sidecar wins: unchanged
        assertThat(hand.at("/proposed/clusters").asInt()).isEqualTo(hand.at("/now/clusters").asInt());
        assertThat(report.at("/totals/proposed/xdsBytes/total").asLong())
                .isLessThan(report.at("/totals/now/xdsBytes/total").asLong());
        assertThat(notes(report)).anyMatch(n -> n.startsWith("2 proxies are served their learned scope"));
    }

    @Test
    void shadowMode_comparesWhatIsServedWithWhatLearningWouldServe() throws Exception {
        start(ScopingMode.SHADOW);

        JsonNode report = footprintz();
        JsonNode web = row(report, "web-0.a");
        assertThat(web.at("/now/clusters").asInt())
                .isEqualTo(server.pipeline().entry("web-0.a").orElseThrow().resources().clusters().size())
                .isGreaterThan(web.at("/proposed/clusters").asInt());
        assertThat(web.at("/now/scope").asText()).isEqualTo("default-sidecar");
        assertThat(web.at("/proposed/scope").asText()).isEqualTo("meshpilot-learned");
        assertThat(notes(report)).anyMatch(n -> n.contains("would be (shadow mode"));
    }

    @Test
    void offMode_showsWhatIsServedWithoutComparison() throws Exception {
        start(ScopingMode.OFF);

        JsonNode report = footprintz();
        assertThat(report.get("proposal").isNull()).isTrue();
        assertThat(row(report, "web-0.a").get("proposed").isNull()).isTrue();
    }

    @Test
    void fallbackCallsOfAWorkload_areShownInFootprintzAndTheUi() throws Exception {
        start(ScopingMode.LEARNED);
        accessLog = new AccessLogClient(server.xdsPort());
        accessLog.sendAll(List.of(tcpMessage(identifier(nodeId("web-0.a")),
                List.of(tcp(common("PassthroughCluster", LearnedMesh.DB_VIP, 5432)),
                        tcp(common("PassthroughCluster", LearnedMesh.DB_VIP, 5432))))));

        await().atMost(Duration.ofSeconds(10)).until(() -> notes(footprintz()).contains("fallback calls of a/web: 2"));
        HttpResponse<String> ui = get("/ui");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(ui.body()).contains("fallback calls of a/web: 2", "upper bound -&gt; learned scope");
    }

    private static List<String> notes(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.get("notes").forEach(n -> out.add(n.asText()));
        return out;
    }
}
