package dev.meshpilot.insight.learn;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.LearningSettings;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.testing.Examples;
import dev.meshpilot.insight.whatif.TrafficEdge;
import dev.meshpilot.insight.whatif.WhatIfs;
import dev.meshpilot.kube.directory.LoadedMesh;
import dev.meshpilot.kube.directory.MeshLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recommendation on {@code examples/shared-cluster} (253 workloads, no Sidecar), written as YAML, read back
 * through the real converters and measured as {@code analyze --with} would: within 5% of the traffic oracle's
 * clusters (1,818, docs/footprint.md) and no call outside scope.
 */
class SharedClusterRecommendationTest {

    private static final String SHARED = "shared-cluster";
    private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
    private static final long ORACLE_CLUSTERS = 1_818;

    @Test
    void workloadRecommendation_readBackFromYaml_holdsNearTheOracleAndBreaksNoCall(@TempDir Path dir)
            throws IOException {
        MeshSnapshot snapshot = Examples.snapshot(SHARED);
        List<TrafficEdge> edges = Examples.edges(SHARED);
        DependencyLedger ledger = new EdgesFileEvidence(Examples.dir(SHARED).resolve("edges.csv")).read(NOW);

        Recommendation recommendation = new Recommender(LearningSettings.defaults(), Set.of("istio-system"))
                .recommend(snapshot, ledger, NOW, Granularity.WORKLOAD);
        Path yaml = dir.resolve("recommended.yaml");
        Files.writeString(yaml, RecommendationYaml.render(recommendation, List.of("test")));
        LoadedMesh readBack = MeshLoader.load(yaml);

        assertThat(readBack.errors()).isEmpty();
        List<SidecarResource> sidecars = readBack.result().objects().sidecars();
        assertThat(sidecars).hasSize(recommendation.sidecars().size());
        assertThat(recommendation.brokenCalls()).isEmpty();
        FootprintReport report = Examples.report(SHARED,
                Optional.of(WhatIfs.withSidecars(yaml.toString(), sidecars, List.of())), edges);
        assertThat(report.rows()).hasSize(253);
        assertThat(report.proposed().orElseThrow().clusters()).isLessThanOrEqualTo(ORACLE_CLUSTERS * 105 / 100);
        assertThat(report.outsideProposedCount()).isZero();
        assertThat(report.now().clusters()).isGreaterThan(10 * report.proposed().orElseThrow().clusters());
    }

    @Test
    void namespaceRecommendation_breaksNoCall() {
        MeshSnapshot snapshot = Examples.snapshot(SHARED);
        DependencyLedger ledger = new EdgesFileEvidence(Examples.dir(SHARED).resolve("edges.csv")).read(NOW);

        Recommendation recommendation = new Recommender(LearningSettings.defaults(), Set.of("istio-system"))
                .recommend(snapshot, ledger, NOW, Granularity.NAMESPACE);
        FootprintReport report = Examples.report(SHARED, Optional.of(WhatIfs.withSidecars("namespace",
                recommendation.resources(), List.of())), Examples.edges(SHARED));

        assertThat(recommendation.brokenCalls()).isEmpty();
        assertThat(recommendation.resources()).allMatch(s -> s.workloadSelector().isEmpty()
                && s.meta().name().equals(Recommender.NAMESPACE_SIDECAR_NAME));
        assertThat(report.outsideProposedCount()).isZero();
        assertThat(report.proposed().orElseThrow().clusters()).isLessThan(report.now().clusters());
    }
}
