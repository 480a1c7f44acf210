package dev.meshpilot.server.accesslog;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.server.LearnedMesh;
import dev.meshpilot.server.MeshpilotServer;
import dev.meshpilot.server.learn.LearningOptions;
import dev.meshpilot.server.learn.ScopingMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.meshpilot.server.accesslog.AccessLogs.common;
import static dev.meshpilot.server.accesslog.AccessLogs.identifier;
import static dev.meshpilot.server.accesslog.AccessLogs.nodeId;
import static dev.meshpilot.server.accesslog.AccessLogs.tcp;
import static dev.meshpilot.server.accesslog.AccessLogs.tcpMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A destination narrowed away (expired) and called again through PassthroughCluster is not new to the ledger, yet
 * the caller's scope widens at once: the access log tells the ledger keeper's listeners of fallback callers.
 */
class FallbackWideningTest {
    @TempDir
    Path dir;
    private MeshpilotServer server;
    private AccessLogClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private List<String> servedHosts() {
        return server.pipeline().state().scopeFor(server.pipeline().state().snapshot()
                        .findWorkload("web-0", "a").map(dev.meshpilot.core.scope.ProxyIdentities::fromWorkload)
                        .orElseThrow())
                .services().stream().map(MeshService::hostname).sorted().toList();
    }

    @Test
    void expiredDestinationCalledThroughPassthrough_widensTheCallerAtOnce() throws Exception {
        LearnedMesh.write(dir, null);
        server = MeshpilotServer.start(LearnedMesh.options(dir, ScopingMode.LEARNED, LearningOptions.inMemory()));
        Instant longAgo = Instant.now().minus(Duration.ofDays(60));
        server.ledgerKeeper().accept(List.of(LearnedMesh.call("web", LearnedMesh.API, 8080),
                Observation.at(new WorkloadKey("a", "web"), new Destination(LearnedMesh.DB, 5432), CallProtocol.TCP,
                        EvidenceSource.ACCESS_LOG, "access-log old", longAgo, 1)));
        server.pipeline().reevaluateNow();
        assertThat(servedHosts()).containsExactly(LearnedMesh.API);

        client = new AccessLogClient(server.xdsPort());
        client.sendAll(List.of(tcpMessage(identifier(nodeId("web-0.a")),
                List.of(tcp(common("PassthroughCluster", LearnedMesh.DB_VIP, 5432))))));
        // the served state is swapped before the push that follows it is recorded: wait for both
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            server.accessLog().flush();
            return servedHosts().contains(LearnedMesh.DB) && server.pipeline().lastPush()
                    .map(p -> p.reason().equals("learning-widen")).orElse(false);
        });

        assertThat(servedHosts()).containsExactly(LearnedMesh.API, LearnedMesh.DB);
    }
}
