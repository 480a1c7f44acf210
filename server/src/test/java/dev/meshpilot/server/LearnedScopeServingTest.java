package dev.meshpilot.server;

import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.server.learn.LearningOptions;
import dev.meshpilot.server.learn.ScopingMode;
import dev.meshpilot.server.learn.WorkloadDecision;
import dev.meshpilot.server.push.PushPipeline;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.meshpilot.server.LearnedMesh.API;
import static dev.meshpilot.server.LearnedMesh.DB;
import static dev.meshpilot.server.LearnedMesh.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Serving learned scopes through the push pipeline: modes, hand-written Sidecars, sharing, fast widening. */
class LearnedScopeServingTest {
    private static final List<String> PROXIES = List.of("web-0.a", "web-1.a", "web2-0.a", "hand-0.a", "api-0.b");

    @TempDir
    Path dir;
    private MeshpilotServer server;
    private final List<EnvoyLikeClient> clients = new ArrayList<>();

    private void start(ScopingMode mode, String namespaceBLabel) throws IOException {
        LearnedMesh.write(dir, namespaceBLabel);
        server = MeshpilotServer.start(LearnedMesh.options(dir, mode, LearningOptions.inMemory()));
        for (String id : PROXIES) {
            EnvoyLikeClient c = new EnvoyLikeClient(server.xdsPort(), id);
            c.awaitInitialConfig();
            clients.add(c);
        }
        // web and web2 call api; api calls db
        server.ledgerKeeper().accept(List.of(call("web", API, 8080), call("web2", API, 8080),
                call("hand", API, 8080),
                new dev.meshpilot.core.ledger.Observation(new WorkloadKey("b", "api"),
                        new dev.meshpilot.core.ledger.Destination(DB, 5432),
                        dev.meshpilot.core.ledger.CallProtocol.TCP, dev.meshpilot.core.ledger.EvidenceSource.ACCESS_LOG,
                        "access-log test", java.time.Instant.now(), java.time.Instant.now(), 1)));
    }

    @AfterEach
    void stop() {
        clients.forEach(EnvoyLikeClient::close);
        if (server != null) {
            server.close();
        }
    }

    private EnvoyLikeClient client(String id) {
        return clients.get(PROXIES.indexOf(id));
    }

    private ProxyScope scopeOf(String proxyId) {
        return server.pipeline().entry(proxyId).orElseThrow().scope();
    }

    private static List<String> hosts(List<MeshService> services) {
        return services.stream().map(MeshService::hostname).sorted().toList();
    }

    @Test
    void learnedMode_narrowsAProxyToItsLedger_withTheRestOfTheUpperBoundAsFallback() throws Exception {
        start(ScopingMode.LEARNED, null);
        server.pipeline().reevaluateNow();

        ProxyScope web = scopeOf("web-0.a");
        assertThat(hosts(web.services())).containsExactly(API);
        assertThat(hosts(web.fallbackServices())).containsExactly(DB, "hand.a.svc.cluster.local",
                "web.a.svc.cluster.local", "web2.a.svc.cluster.local");
        List<DiscoveryResponse> pushed = client("web-0.a").nextBurst(Duration.ofMillis(300));
        assertThat(pushed).filteredOn(r -> r.getTypeUrl().equals(EnvoyLikeClient.CDS))
                .allSatisfy(r -> assertThat(EnvoyLikeClient.clusterNames(r))
                        .contains("outbound|8080||" + API).noneMatch(n -> n.contains(DB)));
    }

    @Test
    void learnedMode_leavesAProxyWithAHandWrittenSidecarAlone() throws Exception {
        start(ScopingMode.LEARNED, null);
        ProxyScope before = scopeOf("hand-0.a");
        server.pipeline().reevaluateNow();

        assertThat(scopeOf("hand-0.a")).isSameAs(before);
        assertThat(scopeOf("hand-0.a").fallbackServices()).isEmpty();
        WorkloadDecision hand = server.pipeline().state().learning().decision(new WorkloadKey("a", "hand"))
                .orElseThrow();
        assertThat(hand.hosts()).isEmpty();
        assertThat(hand.evaluation().outcome().name()).isEqualTo("HAND_WRITTEN_SIDECAR_WINS");
    }

    @Test
    void shadowMode_servesTheUpperBound_butReportsTheLearnedScope() throws Exception {
        start(ScopingMode.SHADOW, null);
        PushPipeline.PushSummary summary = server.pipeline().reevaluateNow();

        assertThat(summary.proxiesPushed()).isZero();
        assertThat(scopeOf("web-0.a").services()).hasSize(5);
        assertThat(scopeOf("web-0.a").fallbackServices()).isEmpty();
        WorkloadDecision web = server.pipeline().state().learning().decision(new WorkloadKey("a", "web"))
                .orElseThrow();
        assertThat(web.mode()).isEqualTo(ScopingMode.SHADOW);
        assertThat(web.served()).isFalse();
        assertThat(web.hosts()).contains(List.of("b/" + API));
    }

    @Test
    void offMode_computesNothing_andChangesNothing() throws Exception {
        start(ScopingMode.OFF, null);
        PushPipeline.PushSummary summary = server.pipeline().reevaluateNow();

        assertThat(summary.proxiesPushed()).isZero();
        assertThat(server.pipeline().state().learning().decisions()).isEmpty();
        assertThat(scopeOf("web-0.a").services()).hasSize(5);
    }

    @Test
    void namespaceLabel_overridesTheServerMode() throws Exception {
        start(ScopingMode.SHADOW, "learned");
        server.pipeline().reevaluateNow();

        assertThat(hosts(scopeOf("api-0.b").services())).containsExactly(DB);
        assertThat(scopeOf("web-0.a").services()).hasSize(5);
    }

    @Test
    void invalidNamespaceLabel_leavesTheServerModeInForce() throws Exception {
        start(ScopingMode.SHADOW, "sometimes");
        server.pipeline().reevaluateNow();

        assertThat(scopeOf("api-0.b").services()).hasSize(6); // every service, secret (exported to b) included
        assertThat(scopeOf("api-0.b").fallbackServices()).isEmpty();
        assertThat(server.pipeline().state().learning().decision(new WorkloadKey("b", "api")).orElseThrow().mode())
                .isEqualTo(ScopingMode.SHADOW);
    }

    @Test
    void workloadsWithEqualLearnedSets_shareOneScope() throws Exception {
        start(ScopingMode.LEARNED, null);
        PushPipeline.PushSummary summary = server.pipeline().reevaluateNow();

        // four proxies narrowed (web ×2, web2, api), two outbound parts generated: {api} in a, {db} in b
        assertThat(summary.proxiesPushed()).isEqualTo(4);
        assertThat(summary.scopesGenerated()).isEqualTo(2);

        assertThat(scopeOf("web2-0.a")).isSameAs(scopeOf("web-0.a"));
        assertThat(scopeOf("web-1.a")).isSameAs(scopeOf("web-0.a"));
        // web and web2 (a: api) share one; api (b: db) and db (b: nothing) have their own; hand keeps its Sidecar's
        assertThat(server.pipeline().learning().measure().distinctScopes()).isEqualTo(3);
        assertThat(server.pipeline().learning().measure().scopeKeys()).hasSize(4);
    }

    @Test
    void gainedDestination_widensAtOnce_pushingOnlyThatWorkloadsProxies() throws Exception {
        start(ScopingMode.LEARNED, null);
        server.pipeline().reevaluateNow();
        clients.forEach(c -> c.drainQuiet(Duration.ofMillis(200)));
        long pushesBefore = server.pipeline().lastPush().orElseThrow().number();

        server.ledgerKeeper().accept(List.of(call("web2", DB, 5432)));

        // the served state is swapped before the push that follows it is recorded: wait for both
        await().atMost(Duration.ofSeconds(10)).until(() -> hosts(scopeOf("web2-0.a").services()).contains(DB)
                && server.pipeline().lastPush().orElseThrow().number() > pushesBefore);
        PushPipeline.PushSummary widened = server.pipeline().lastPush().orElseThrow();
        assertThat(widened.number()).isEqualTo(pushesBefore + 1);
        assertThat(widened.reason()).isEqualTo("learning-widen");
        assertThat(widened.proxiesPushed()).isEqualTo(1);
        assertThat(hosts(scopeOf("web-0.a").services())).containsExactly(API);
        assertThat(client("web2-0.a").nextBurst(Duration.ofMillis(300)))
                .anySatisfy(r -> assertThat(r.getTypeUrl()).isEqualTo(EnvoyLikeClient.CDS));
        for (String other : List.of("web-0.a", "web-1.a", "hand-0.a", "api-0.b")) {
            assertThat(client(other).drainQuiet(Duration.ofMillis(100))).as(other).isEmpty();
        }
    }

    @Test
    void destinationOutsideTheUpperBound_isNeverServed() throws Exception {
        start(ScopingMode.LEARNED, null);
        server.pipeline().reevaluateNow();

        server.pipeline().widenNow(Set.of(new WorkloadKey("a", "web")));
        server.ledgerKeeper().accept(List.of(call("web", "nowhere.z.svc.cluster.local", 80)));
        server.pipeline().widenNow(Set.of(new WorkloadKey("a", "web")));

        assertThat(hosts(scopeOf("web-0.a").services())).containsExactly(API);
    }
}
