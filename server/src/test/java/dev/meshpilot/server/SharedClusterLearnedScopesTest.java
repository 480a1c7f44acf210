package dev.meshpilot.server;

import dev.meshpilot.insight.learn.EdgesFileEvidence;
import dev.meshpilot.server.learn.LearningOptions;
import dev.meshpilot.server.learn.ScopingMode;
import dev.meshpilot.server.learn.WorkloadDecision;
import dev.meshpilot.server.push.ScopeLearning;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code examples/shared-cluster} under the ledger of its {@code edges.csv}: workloads with equal learned sets (and
 * equal upper bounds) share one computed scope, so there are far fewer learned scopes than workloads.
 */
class SharedClusterLearnedScopesTest {
    private static final Logger LOG = Logger.getLogger(SharedClusterLearnedScopesTest.class.getName());

    private static Path example() {
        Path root = Path.of("..");
        if (!Files.isDirectory(root.resolve("examples"))) {
            root = Path.of(".");
        }
        return root.resolve("examples").resolve("shared-cluster").toAbsolutePath().normalize();
    }

    @Test
    void sharedCluster_workloadsWithEqualLearnedSetsShareScopes() throws Exception {
        Path dir = example();
        LearningOptions learning = LearningOptions.inMemory()
                .withReaders(List.of(new EdgesFileEvidence(dir.resolve("edges.csv"))), Duration.ofHours(1));
        try (MeshpilotServer server = MeshpilotServer.start(LearnedMesh.options(dir, ScopingMode.LEARNED, learning))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !server.ledgerKeeper().ledger().isEmpty());
            server.pipeline().reevaluateNow();

            ScopeLearning.Measure measure = server.pipeline().learning().measure();
            long narrowed = server.pipeline().state().learning().decisions().values().stream()
                    .filter(WorkloadDecision::served).count();
            long workloads = server.pipeline().state().learning().decisions().size();
            LOG.info(() -> "shared-cluster, learned from edges.csv: " + workloads + " workloads, " + narrowed
                    + " narrowed, " + measure.distinctScopes() + " distinct learned scopes, "
                    + measure.learnedEdges() + " learned edges");
            assertThat(narrowed).isPositive();
            assertThat(measure.scopeKeys()).hasSize((int) narrowed);
            // 255 workloads narrowed to 142 distinct scopes holding all 490 (caller, host) edges of the file
            assertThat(narrowed).isEqualTo(255);
            assertThat(measure.distinctScopes()).isEqualTo(142);
            assertThat(measure.learnedEdges()).isEqualTo(490);
        }
    }
}
