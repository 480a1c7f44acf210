package dev.meshpilot.insight.learn;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.LearningSettings;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.insight.footprint.MeshTotals;
import dev.meshpilot.insight.footprint.WorkloadRow;
import dev.meshpilot.insight.testing.Examples;
import dev.meshpilot.insight.whatif.WhatIfs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code analyze --learned}: the mesh as {@code serve --scoping learned} would serve it, measured with the learning
 * generator (fallback chains, fallback virtual host, access-log config counted). Shared-cluster figures under its
 * edges.csv are pinned (docs/footprint.md, "Learned scopes").
 */
class LearnedFootprintTest {

    private static final String SHARED = "shared-cluster";
    private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");
    private static final long ORACLE_CLUSTERS = 1_818;

    private static LearnedFootprint.Result measure(MeshSnapshot snapshot, DependencyLedger ledger) {
        return new LearnedFootprint(Examples.analyzer()).measure(snapshot, ledger, LearningSettings.defaults(), NOW,
                Examples.settings("examples/" + SHARED), List.of());
    }

    private static DependencyLedger sharedEdges() {
        return new EdgesFileEvidence(Examples.dir(SHARED).resolve("edges.csv")).read(NOW);
    }

    @Test
    void sharedClusterUnderItsEdges_learnedClustersNearTheOracle_noFallbackCall_figuresPinned() {
        MeshSnapshot allowAny = Examples.snapshot(SHARED);
        LearnedFootprint.Result result = measure(allowAny, sharedEdges());
        MeshTotals now = result.report().now();
        MeshTotals learned = result.report().proposed().orElseThrow();
        LearnedFootprint.Result registryOnly = measure(registryOnly(allowAny), sharedEdges());
        MeshTotals learnedRegistryOnly = registryOnly.report().proposed().orElseThrow();
        System.out.printf("shared-cluster learned: clusters %,d -> %,d; xDS bytes %,d -> %,d (ALLOW_ANY), "
                        + "%,d -> %,d (REGISTRY_ONLY); %d distinct scopes, %d narrowed, %d fallback calls%n",
                now.clusters(), learned.clusters(), now.bytes().total(), learned.bytes().total(),
                registryOnly.report().now().bytes().total(), learnedRegistryOnly.bytes().total(),
                result.distinctScopes(), result.narrowed(), result.fallbackCalls().size());

        assertThat(result.report().rows()).hasSize(253);
        assertThat(learned.clusters()).isBetween(ORACLE_CLUSTERS * 95 / 100, ORACLE_CLUSTERS * 105 / 100);
        assertThat(result.fallbackCalls()).isEmpty();
        assertThat(result.narrowed()).isEqualTo(253);
        assertThat(result.report().outsideProposedCount()).isZero();
        assertThat(result.distinctScopes()).isEqualTo(registryOnly.distinctScopes()).isEqualTo(DISTINCT_SCOPES);
        assertThat(learned.bytes().total()).isEqualTo(LEARNED_BYTES_ALLOW_ANY);
        assertThat(learnedRegistryOnly.bytes().total()).isEqualTo(LEARNED_BYTES_REGISTRY_ONLY);
        assertThat(learnedRegistryOnly.bytes().total()).isGreaterThan(learned.bytes().total());
        assertThat(now.bytes().total()).isGreaterThan(10 * learned.bytes().total());
    }

    private static final int DISTINCT_SCOPES = 141;
    // istio-proxy shapes (issue 13: telemetry filters, Istio's HCM defaults and virtualInbound layout, endpoint
    // istio.workload metadata) made every proxy larger: were 1,550,247 and 12,364,390 bytes
    private static final long LEARNED_BYTES_ALLOW_ANY = 5_212_856; // + auto-mTLS transport sockets (issue 13); was 4,366,455
    private static final long LEARNED_BYTES_REGISTRY_ONLY = 18_683_115; // + auto-mTLS transport sockets (issue 13); was 17,836,714

    @Test
    void learnedScope_isGeneratedWithTheLearningOptions_accessLoggersCounted() {
        MeshSnapshot snapshot = Examples.snapshot(SHARED);
        LearnedFootprint.Result result = measure(snapshot, sharedEdges());
        WorkloadRow productpage = row(result, "bookinfo/productpage-v1");
        List<String> hosts = List.of("bookinfo/details.bookinfo.svc.cluster.local",
                "bookinfo/ratings.bookinfo.svc.cluster.local", "bookinfo/reviews.bookinfo.svc.cluster.local");
        WorkloadRow sameScopeToday = Examples.analyzer().analyze(snapshot, (scopes, proxy) ->
                        scopes.narrowedScopeFor(proxy, hosts)).stream()
                .filter(m -> m.workload().id().equals("bookinfo/productpage-v1"))
                .map(m -> new WorkloadRow(m.workload(), m.footprint(), Optional.empty(), List.of(), List.of()))
                .findFirst().orElseThrow();

        assertThat(productpage.proposed().orElseThrow().scopeName()).isEqualTo(SidecarScopes.LEARNED_SCOPE_NAME);
        assertThat(productpage.proposed().orElseThrow().counts().clusters())
                .isEqualTo(sameScopeToday.now().counts().clusters())
                .isLessThan(productpage.now().counts().clusters());
        assertThat(productpage.proposed().orElseThrow().bytes().listeners())
                .isGreaterThan(sameScopeToday.now().bytes().listeners());
    }

    @Test
    void handWrittenSidecar_keepsItsWorkloadsScope() {
        MeshSnapshot snapshot = Examples.snapshot(SHARED);
        SidecarResource own = new SidecarResource(new ObjectMeta("bookinfo", "productpage-own", NOW, Map.of(),
                Map.of()), Optional.of(Map.of("app", "productpage")),
                List.of(new SidecarResource.EgressListener(Optional.empty(), "", "DEFAULT", List.of("*/*"))),
                List.of(), Optional.empty());
        MeshSnapshot withOwn = WhatIfs.apply(snapshot, WhatIfs.withSidecars("test", List.of(own), List.of()));

        WorkloadRow productpage = row(measure(withOwn, sharedEdges()), "bookinfo/productpage-v1");

        assertThat(productpage.proposed().orElseThrow().scopeName()).isEqualTo(productpage.now().scopeName())
                .isNotEqualTo(SidecarScopes.LEARNED_SCOPE_NAME);
        assertThat(productpage.proposed().orElseThrow().counts().clusters())
                .isEqualTo(productpage.now().counts().clusters());
    }

    @Test
    void expiredCall_goesToTheFallback() {
        WorkloadKey reviews = new WorkloadKey("bookinfo", "reviews-v1");
        Destination ratings = new Destination("ratings.bookinfo.svc.cluster.local", 9080);
        DependencyLedger ledger = sharedEdges()
                .plus(Observation.at(reviews, ratings, CallProtocol.HTTP, EvidenceSource.ACCESS_LOG, "test",
                        NOW.minus(Duration.ofDays(40)), 5))
                .reportedBy(List.of(reviews), EvidenceSource.ACCESS_LOG, NOW);

        LearnedFootprint.Result result = measure(Examples.snapshot(SHARED), ledger);

        assertThat(result.fallbackCalls()).singleElement().satisfies(c -> {
            assertThat(c.sourceWorkload()).isEqualTo("reviews-v1");
            assertThat(c.host()).isEqualTo(ratings.host());
        });
        assertThat(row(result, "bookinfo/reviews-v1").outsideProposed()).hasSize(1);
        assertThat(row(result, "bookinfo/reviews-v1").outsideNow()).isEmpty();
    }

    private static WorkloadRow row(LearnedFootprint.Result result, String id) {
        return result.report().rows().stream().filter(r -> r.workload().id().equals(id)).findFirst().orElseThrow();
    }

    private static MeshSnapshot registryOnly(MeshSnapshot mesh) {
        return new MeshSnapshot(mesh.version(), mesh.meshConfig().withOutboundTrafficPolicy(
                OutboundTrafficPolicy.REGISTRY_ONLY), mesh.namespaces(), mesh.services(), mesh.endpointSlices(),
                mesh.workloads(), mesh.workloadGroups(), mesh.sidecars(), mesh.virtualServices(),
                mesh.destinationRules());
    }
}
