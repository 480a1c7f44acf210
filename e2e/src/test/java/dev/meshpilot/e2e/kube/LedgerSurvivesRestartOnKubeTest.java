package dev.meshpilot.e2e.kube;

import static dev.meshpilot.e2e.harness.LearningMesh.CALLER;
import static dev.meshpilot.e2e.harness.LearningMesh.CALLER_WORKLOAD;
import static dev.meshpilot.e2e.harness.LearningMesh.DB;
import static dev.meshpilot.e2e.harness.LearningMesh.DB_CLUSTER;
import static dev.meshpilot.e2e.harness.LearningMesh.ECHO;
import static dev.meshpilot.e2e.harness.LearningMesh.ECHO_CLUSTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshpilot.e2e.harness.AccessLogSender;
import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.LearningMesh;
import dev.meshpilot.e2e.harness.Ledgerz;
import dev.meshpilot.e2e.harness.MeshpilotServer;
import dev.meshpilot.e2e.harness.WorkDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, "a restart keeps the ledger", in the cluster: the packaged server ({@code serve --kube --kubeconfig
 * FILE}, no {@code --state-dir}) keeps what it learns from access logs in a {@code WorkloadDependencies}
 * ({@code meshpilot.dev/v1alpha1}) object per calling workload, in the workload's namespace and named after it;
 * after a stop and a start it shows the same ledger, read back from those objects, before any new entry arrives,
 * and later entries continue this replica's counts.
 *
 * <p>The API server is fabric8's mock in CRUD mode, which answers server-side apply patches with 415; the server
 * therefore runs with {@code --kube-write replace} (conditional create/replace with the same
 * {@code resourceVersion} preconditions). The apply path itself is not exercised here. The mock serves the CRD
 * shipped in {@code deploy/15-workloaddependencies-crd.yaml}, as a cluster would.
 */
class LedgerSurvivesRestartOnKubeTest {

    private static final Duration LEARNING = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String REPLICA = "e2e-a";

    @Test
    void aRestartReadsTheLedgerBackFromWorkloadDependencies_andCountsContinue() {
        E2eSettings settings = E2eSettings.fromSystemProperties();
        Path dir = WorkDirs.emptied(settings.workDir().resolve(getClass().getSimpleName()));

        try (ApiServerMock api = ApiServerMock.startWithIstioCrds()) {
            LedgerObjects.installCrd(api, settings);
            api.apply(LearningMesh.manifests());
            Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));

            try (MeshpilotServer server = MeshpilotServer.startOnKube(settings, kubeconfig,
                    dir.resolve("meshpilot.log"), LearningMesh.serveArgs(REPLICA, "--kube-write", "replace"))) {
                assertThat(Ledgerz.read(server)).as("ledger of an empty cluster").isEmpty();

                AccessLogSender.send(server.xdsPort(), CALLER, ECHO_CLUSTER, 3, 0);
                AccessLogSender.send(server.xdsPort(), CALLER, DB_CLUSTER, 0, 2);
                await("the access-log entries in /debug/ledgerz").atMost(LEARNING).pollInterval(POLL)
                        .untilAsserted(() -> assertThat(Ledgerz.counts(server))
                                .isEqualTo(Map.of(CALLER_WORKLOAD, Map.of(ECHO, 3L, DB, 2L))));
                Map<String, JsonNode> before = Ledgerz.read(server).get(CALLER_WORKLOAD);

                Map<String, Map<String, Long>> stored = Map.of(ECHO, Map.of(LearningMesh.reporter(REPLICA), 3L),
                        DB, Map.of(LearningMesh.reporter(REPLICA), 2L));
                await("the ledger saved as WorkloadDependencies ns-a/client").atMost(LEARNING).pollInterval(POLL)
                        .untilAsserted(() -> assertThat(LearningMesh.storedCounts(LedgerObjects.callerSpec(api)))
                                .isEqualTo(stored));
                JsonNode spec = LedgerObjects.callerSpec(api);
                assertThat(spec.path("formatVersion").asInt()).isEqualTo(1);
                assertThat(spec.path("workload").path("namespace").asText()).isEqualTo(LearningMesh.CLIENT_NAMESPACE);
                assertThat(spec.path("workload").path("name").asText()).isEqualTo("client");
                assertThat(spec.path("destinations").asInt()).isEqualTo(2);

                server.stop();
                assertThat(LedgerObjects.all(api)).as("WorkloadDependencies objects after the stop")
                        .containsOnlyKeys(LedgerObjects.CALLER_OBJECT);
                assertThat(LearningMesh.storedCounts(LedgerObjects.callerSpec(api))).isEqualTo(stored);

                server.restart();
                // Read at once: this process has received no entry, so the ledger comes from the objects.
                Map<String, Map<String, JsonNode>> restarted = Ledgerz.read(server);
                assertThat(restarted).as("/debug/ledgerz right after the restart").containsOnlyKeys(CALLER_WORKLOAD);
                assertThat(restarted.get(CALLER_WORKLOAD)).as("destinations, counts, protocols, sources, times")
                        .isEqualTo(before);

                AccessLogSender.send(server.xdsPort(), CALLER, ECHO_CLUSTER, 2, 0);
                await("the new entries counted on top of the restored ones").atMost(LEARNING).pollInterval(POLL)
                        .untilAsserted(() -> assertThat(Ledgerz.counts(server))
                                .isEqualTo(Map.of(CALLER_WORKLOAD, Map.of(ECHO, 5L, DB, 2L))));
                await("the continued count saved under the same reporter").atMost(LEARNING).pollInterval(POLL)
                        .untilAsserted(() -> assertThat(LearningMesh.storedCounts(LedgerObjects.callerSpec(api)))
                                .isEqualTo(Map.of(ECHO, Map.of(LearningMesh.reporter(REPLICA), 5L),
                                        DB, Map.of(LearningMesh.reporter(REPLICA), 2L))));
            }
        }
    }
}
