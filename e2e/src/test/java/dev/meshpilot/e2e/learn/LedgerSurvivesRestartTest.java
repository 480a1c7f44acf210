package dev.meshpilot.e2e.learn;

import static dev.meshpilot.e2e.harness.LearningMesh.CALLER;
import static dev.meshpilot.e2e.harness.LearningMesh.CALLER_WORKLOAD;
import static dev.meshpilot.e2e.harness.LearningMesh.DB;
import static dev.meshpilot.e2e.harness.LearningMesh.DB_CLUSTER;
import static dev.meshpilot.e2e.harness.LearningMesh.ECHO;
import static dev.meshpilot.e2e.harness.LearningMesh.ECHO_CLUSTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.e2e.harness.AccessLogSender;
import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.LearningMesh;
import dev.meshpilot.e2e.harness.Ledgerz;
import dev.meshpilot.e2e.harness.MeshpilotServer;
import dev.meshpilot.e2e.harness.RegistryDirectory;
import dev.meshpilot.e2e.harness.WorkDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, "a restart keeps the ledger", state directory: the packaged server ({@code serve --registry DIR
 * --state-dir STATE}) learns who calls whom from Envoy access logs sent to its xDS port, keeps the ledger in
 * {@code STATE/ledger/NS/NAME.json}, and after a stop and a start on the same state directory shows the same
 * ledger before any new entry arrives; later entries continue this replica's counts instead of starting again.
 */
class LedgerSurvivesRestartTest {

    private static final Duration LEARNING = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String REPLICA = "e2e-a";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRestartOnTheSameStateDirectory_showsTheSameLedger_andCountsContinue() {
        E2eSettings settings = E2eSettings.fromSystemProperties();
        Path dir = WorkDirs.emptied(settings.workDir().resolve(getClass().getSimpleName()));
        RegistryDirectory registry = LearningMesh.writeTo(new RegistryDirectory(dir.resolve("registry")));
        Path stateDir = dir.resolve("state");
        Path page = stateDir.resolve("ledger").resolve(LearningMesh.CLIENT_NAMESPACE).resolve("client.json");

        try (MeshpilotServer server = MeshpilotServer.start(settings, registry, dir.resolve("meshpilot.log"),
                LearningMesh.serveArgs(REPLICA, "--state-dir", stateDir.toString()))) {
            assertThat(Ledgerz.read(server)).as("ledger of a fresh state directory").isEmpty();

            AccessLogSender.send(server.xdsPort(), CALLER, ECHO_CLUSTER, 3, 0);
            AccessLogSender.send(server.xdsPort(), CALLER, DB_CLUSTER, 0, 2);
            Map<String, Map<String, Long>> learned = Map.of(CALLER_WORKLOAD, Map.of(ECHO, 3L, DB, 2L));
            await("the access-log entries in /debug/ledgerz").atMost(LEARNING).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(Ledgerz.counts(server)).isEqualTo(learned));
            Map<String, JsonNode> before = Ledgerz.read(server).get(CALLER_WORKLOAD);
            assertThat(before.get(ECHO).path("protocols").toString()).isEqualTo("[\"HTTP\"]");
            assertThat(before.get(DB).path("protocols").toString()).isEqualTo("[\"TCP\"]");
            assertThat(before.get(ECHO).path("sources").toString()).isEqualTo("[\"access-log\"]");

            server.stop();
            assertThat(pageFiles(stateDir)).as("page files in the state directory").containsExactly(page);
            assertThat(LearningMesh.storedCounts(read(page))).as("stored counts per reporter").isEqualTo(Map.of(
                    ECHO, Map.of(LearningMesh.reporter(REPLICA), 3L), DB, Map.of(LearningMesh.reporter(REPLICA), 2L)));

            server.restart();
            // Read at once: the ledger must come from the state directory, nothing has been sent to this process.
            Map<String, Map<String, JsonNode>> restarted = Ledgerz.read(server);
            assertThat(restarted).as("/debug/ledgerz right after the restart").containsOnlyKeys(CALLER_WORKLOAD);
            assertThat(restarted.get(CALLER_WORKLOAD)).as("destinations, counts, protocols, sources, times")
                    .isEqualTo(before);

            AccessLogSender.send(server.xdsPort(), CALLER, ECHO_CLUSTER, 2, 0);
            await("the new entries counted on top of the restored ones").atMost(LEARNING).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(Ledgerz.counts(server))
                            .isEqualTo(Map.of(CALLER_WORKLOAD, Map.of(ECHO, 5L, DB, 2L))));
            await("the continued count saved under the same reporter").atMost(LEARNING).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(LearningMesh.storedCounts(read(page))).isEqualTo(Map.of(
                            ECHO, Map.of(LearningMesh.reporter(REPLICA), 5L),
                            DB, Map.of(LearningMesh.reporter(REPLICA), 2L))));
        }
    }

    /** Every {@code *.json} page under {@code STATE/ledger}. */
    private static List<Path> pageFiles(Path stateDir) {
        try (Stream<Path> files = Files.walk(stateDir.resolve("ledger"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + stateDir, e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
