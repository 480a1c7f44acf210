package dev.meshpilot.e2e.kube;

import static dev.meshpilot.e2e.harness.LearningMesh.CALLER;
import static dev.meshpilot.e2e.harness.LearningMesh.CALLER_WORKLOAD;
import static dev.meshpilot.e2e.harness.LearningMesh.DB;
import static dev.meshpilot.e2e.harness.LearningMesh.DB_CLUSTER;
import static dev.meshpilot.e2e.harness.LearningMesh.ECHO;
import static dev.meshpilot.e2e.harness.LearningMesh.ECHO_CLUSTER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * Issue 10: two replicas ({@code serve --kube}, replica ids {@code e2e-a} and {@code e2e-b}) on one API server keep
 * one ledger. Replica A learns edge X ({@code client → echo}, HTTP) from its access-log stream, replica B edge Y
 * ({@code client → db}, TCP) from its own; both edges belong to one workload, so both replicas write the same
 * {@code WorkloadDependencies} object, each merging into what the other stored. Counts are kept per replica.
 *
 * <p>When a running replica sees the other's evidence: the server reads the store at start, when it saves (only
 * when its own ledger changed), and every {@code --evidence-poll-interval} (default 1 minute, longer than this
 * test). So B, saving after A, shows X and Y at once; A shows Y after a restart, or once it has learned something
 * itself and saved again, or on its next poll tick ({@code TwoReplicasServeConsistentConfigTest} checks that one
 * with learned scopes). The first two are checked here.
 *
 * <p>fabric8's API server mock answers server-side apply with 415, so both run with {@code --kube-write replace}.
 */
class TwoReplicasShareOneLedgerTest {

    private static final Duration LEARNING = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String A = LearningMesh.reporter("e2e-a");
    private static final String B = LearningMesh.reporter("e2e-b");

    @Test
    void evidenceOfTwoReplicas_endsUpInOneObject_andInEachReplicasLedger() {
        E2eSettings settings = E2eSettings.fromSystemProperties();
        Path dir = WorkDirs.emptied(settings.workDir().resolve(getClass().getSimpleName()));

        try (ApiServerMock api = ApiServerMock.startWithIstioCrds()) {
            LedgerObjects.installCrd(api, settings);
            api.apply(LearningMesh.manifests());
            Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));

            try (MeshpilotServer replicaA = MeshpilotServer.startOnKube(settings, kubeconfig,
                    dir.resolve("meshpilot-a.log"), LearningMesh.serveArgs("e2e-a", "--kube-write", "replace"));
                    MeshpilotServer replicaB = MeshpilotServer.startOnKube(settings, kubeconfig,
                            dir.resolve("meshpilot-b.log"), LearningMesh.serveArgs("e2e-b", "--kube-write", "replace"))) {

                // X on A, saved before B learns anything.
                AccessLogSender.send(replicaA.xdsPort(), CALLER, ECHO_CLUSTER, 3, 0);
                awaitStored(api, Map.of(ECHO, Map.of(A, 3L)));

                // Y on B: B's save merges into A's object, and B reads X back with it.
                AccessLogSender.send(replicaB.xdsPort(), CALLER, DB_CLUSTER, 0, 2);
                awaitStored(api, Map.of(ECHO, Map.of(A, 3L), DB, Map.of(B, 2L)));
                awaitLedger(replicaB, "replica B", Map.of(ECHO, 3L, DB, 2L));
                assertThat(LedgerObjects.all(api)).as("one object for the one calling workload")
                        .containsOnlyKeys(LedgerObjects.CALLER_OBJECT);
                System.out.printf("two replicas: after B saved Y, running replica A shows %s (B shows %s)%n",
                        Ledgerz.counts(replicaA), Ledgerz.counts(replicaB));

                // A restarted: the ledger it reads at start holds both edges.
                replicaA.restart();
                assertThat(Ledgerz.counts(replicaA)).as("replica A's ledger right after its restart")
                        .isEqualTo(Map.of(CALLER_WORKLOAD, Map.of(ECHO, 3L, DB, 2L)));

                // Both replicas see X again: each count continues per replica, and B, which saves because it
                // learned something, reads A's newer count back with it.
                AccessLogSender.send(replicaA.xdsPort(), CALLER, ECHO_CLUSTER, 1, 0);
                awaitStored(api, Map.of(ECHO, Map.of(A, 4L), DB, Map.of(B, 2L)));
                AccessLogSender.send(replicaB.xdsPort(), CALLER, ECHO_CLUSTER, 1, 0);
                awaitStored(api, Map.of(ECHO, Map.of(A, 4L, B, 1L), DB, Map.of(B, 2L)));
                awaitLedger(replicaB, "replica B", Map.of(ECHO, 5L, DB, 2L));
            }
        }
    }

    /** Waits until the caller's {@code WorkloadDependencies} holds exactly these counts per destination and reporter. */
    private static void awaitStored(ApiServerMock api, Map<String, Map<String, Long>> counts) {
        await("WorkloadDependencies " + LedgerObjects.CALLER_OBJECT + " holding " + counts).atMost(LEARNING)
                .pollInterval(POLL)
                .untilAsserted(() -> assertThat(LearningMesh.storedCounts(LedgerObjects.callerSpec(api)))
                        .isEqualTo(counts));
    }

    private static void awaitLedger(MeshpilotServer replica, String name, Map<String, Long> counts) {
        await(name + "'s /debug/ledgerz showing " + counts).atMost(LEARNING).pollInterval(POLL)
                .untilAsserted(() -> assertThat(Ledgerz.counts(replica)).isEqualTo(Map.of(CALLER_WORKLOAD, counts)));
    }
}
