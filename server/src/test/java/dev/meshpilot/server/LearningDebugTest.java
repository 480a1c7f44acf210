package dev.meshpilot.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.server.learn.LearningOptions;
import dev.meshpilot.server.learn.ScopingMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.meshpilot.server.LearnedMesh.API;
import static dev.meshpilot.server.LearnedMesh.DB;
import static dev.meshpilot.server.LearnedMesh.call;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /debug/scopez}'s learning part, {@code /debug/learnz} and the learning metrics, over real HTTP. */
class LearningDebugTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private MeshpilotServer server;

    private void start(ScopingMode mode) throws IOException, InterruptedException {
        LearnedMesh.write(dir, null);
        server = MeshpilotServer.start(LearnedMesh.options(dir, mode, LearningOptions.inMemory()));
        server.ledgerKeeper().accept(List.of(call("web", API, 8080), call("web2", API, 8080)));
        server.pipeline().reevaluateNow();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.debugAddress().getPort()
                + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void scopez_showsTheServedLearnedScope_itsFallbacksAndVerdicts() throws Exception {
        start(ScopingMode.LEARNED);
        HttpResponse<String> r = get("/debug/scopez?proxyID=web-0.a");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode learning = JSON.readTree(r.body()).get("learning");
        assertThat(learning.get("mode").asText()).isEqualTo("learned");
        assertThat(learning.get("served").asText()).isEqualTo("learned");
        assertThat(learning.get("outcome").asText()).isEqualTo("learned");
        assertThat(texts(learning.get("servedServices"))).containsExactly(API);
        assertThat(texts(learning.get("fallbackServices"))).contains(DB);
        assertThat(learning.get("verdicts")).anySatisfy(v -> {
            assertThat(v.get("host").asText()).isEqualTo("b/" + API);
            assertThat(v.get("inScope").asBoolean()).isTrue();
            assertThat(v.get("reason").asText()).isEqualTo("learned");
        });
        assertThat(get("/debug/scopez?proxyID=web-0.a&text").body()).contains("scoping: learned, served learned");
    }

    @Test
    void scopez_inShadowMode_showsWhatWouldBeServed() throws Exception {
        start(ScopingMode.SHADOW);
        JsonNode learning = JSON.readTree(get("/debug/scopez?proxyID=web-0.a").body()).get("learning");
        assertThat(learning.get("mode").asText()).isEqualTo("shadow");
        assertThat(learning.get("served").asText()).isEqualTo("upper-bound");
        assertThat(texts(learning.get("wouldServeHosts"))).containsExactly("b/" + API);
        assertThat(texts(learning.get("fallbackServices"))).isEmpty();
    }

    @Test
    void learnz_listsEveryWorkloadWithItsScopesAndTheDistinctScopeCount() throws Exception {
        start(ScopingMode.LEARNED);
        HttpResponse<String> r = get("/debug/learnz");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("defaultMode").asText()).isEqualTo("learned");
        // a: web and web2 share {api}; a: hand keeps its Sidecar; b: api, db and secret have learned nothing
        assertThat(body.get("distinctScopes").asInt()).isEqualTo(2);
        JsonNode web = null;
        for (JsonNode w : body.get("workloads")) {
            if (w.get("workload").asText().equals("a/web")) {
                web = w;
            }
        }
        assertThat(web).isNotNull();
        assertThat(web.get("served").asBoolean()).isTrue();
        assertThat(web.get("upperBoundServices").asInt()).isEqualTo(5);
        assertThat(web.get("learnedServices").asInt()).isEqualTo(1);
        assertThat(web.get("learnedClusters").asInt()).isEqualTo(1);
        assertThat(get("/debug/list").body()).contains("learnz");
    }

    @Test
    void metrics_showLearnedEdgesDistinctScopesAndWidenings() throws Exception {
        start(ScopingMode.LEARNED);
        server.ledgerKeeper().accept(List.of(call("web2", DB, 5432)));
        org.awaitility.Awaitility.await().until(() -> get("/metrics").body()
                .contains("meshpilot_learning_widenings_total{path=\"access_log\"} 1.0"));
        String metrics = get("/metrics").body();
        // web {api}, web2 {api, db}, and the empty scopes of b: three scopes, three edges
        assertThat(metrics).contains("meshpilot_learning_distinct_scopes 3.0")
                .contains("meshpilot_learning_learned_edges 3.0");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
