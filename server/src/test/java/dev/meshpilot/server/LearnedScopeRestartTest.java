package dev.meshpilot.server;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.server.learn.InMemoryLedgerStore;
import dev.meshpilot.server.learn.LearningOptions;
import dev.meshpilot.server.learn.ScopingMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.meshpilot.server.LearnedMesh.API;
import static dev.meshpilot.server.LearnedMesh.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A restarted server serves the learned scopes of its loaded ledger, without waiting a re-evaluation interval. */
class LearnedScopeRestartTest {
    @TempDir
    Path dir;
    private MeshpilotServer server;
    private EnvoyLikeClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private MeshpilotServer start(InMemoryLedgerStore store) throws Exception {
        return MeshpilotServer.start(LearnedMesh.options(dir, ScopingMode.LEARNED,
                LearningOptions.inMemory().withStore(store)));
    }

    private List<String> servedHosts(String proxyId) {
        return server.pipeline().entry(proxyId).orElseThrow().scope().services().stream()
                .map(MeshService::hostname).sorted().toList();
    }

    @Test
    void restartedServer_servesTheSameLearnedScopesFromTheLoadedLedger() throws Exception {
        LearnedMesh.write(dir, null);
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        server = start(store);
        server.ledgerKeeper().accept(List.of(call("web", API, 8080)));
        server.pipeline().reevaluateNow();
        client = new EnvoyLikeClient(server.xdsPort(), "web-0.a");
        client.awaitInitialConfig();
        assertThat(servedHosts("web-0.a")).containsExactly(API);
        client.close();
        server.close();
        assertThat(store.stored().isEmpty()).isFalse();

        server = start(store);
        // the first re-evaluation runs at start when the loaded ledger holds evidence (the interval is 5 minutes)
        await().atMost(Duration.ofSeconds(20)).until(() -> server.pipeline().state().learning().evaluatedAt()
                .isPresent());
        client = new EnvoyLikeClient(server.xdsPort(), "web-0.a");
        client.awaitInitialConfig();
        assertThat(servedHosts("web-0.a")).containsExactly(API);
    }

    @Test
    void restartedServerWhoseRegistryFillsLater_reevaluatesOnceTheWorkloadsArrive() throws Exception {
        LearnedMesh.write(dir, null);
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        server = start(store);
        server.ledgerKeeper().accept(List.of(call("web", API, 8080)));
        server.close();
        // as a Kubernetes source does while its informers sync: the workloads come after the start
        String a = java.nio.file.Files.readString(dir.resolve("a.yaml"));
        String b = java.nio.file.Files.readString(dir.resolve("b.yaml"));
        java.nio.file.Files.delete(dir.resolve("a.yaml"));
        java.nio.file.Files.delete(dir.resolve("b.yaml"));

        server = start(store);
        java.nio.file.Files.writeString(dir.resolve("b.yaml"), b);
        java.nio.file.Files.writeString(dir.resolve("a.yaml"), a);

        await().atMost(Duration.ofSeconds(20)).until(() -> server.pipeline().state().learning()
                .decision(new dev.meshpilot.core.ledger.WorkloadKey("a", "web"))
                .flatMap(dev.meshpilot.server.learn.WorkloadDecision::hosts).isPresent());
        client = new EnvoyLikeClient(server.xdsPort(), "web-0.a");
        client.awaitInitialConfig();
        assertThat(servedHosts("web-0.a")).containsExactly(API);
    }

    @Test
    void freshServerWithAnEmptyLedger_servesTheUpperBoundUntilTheFirstReevaluation() throws Exception {
        LearnedMesh.write(dir, null);
        server = start(new InMemoryLedgerStore());
        client = new EnvoyLikeClient(server.xdsPort(), "web-0.a");
        client.awaitInitialConfig();

        assertThat(server.pipeline().state().learning().evaluatedAt()).isEmpty();
        assertThat(servedHosts("web-0.a")).hasSize(5);
    }
}
