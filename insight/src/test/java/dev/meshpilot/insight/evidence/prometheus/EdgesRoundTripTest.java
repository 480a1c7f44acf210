package dev.meshpilot.insight.evidence.prometheus;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.ledger.WorkloadLedger;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.LearningSettings;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.learn.Granularity;
import dev.meshpilot.insight.learn.Recommendation;
import dev.meshpilot.insight.learn.RecommendationYaml;
import dev.meshpilot.insight.learn.Recommender;
import dev.meshpilot.insight.testing.Examples;
import dev.meshpilot.insight.whatif.WhatIfs;
import dev.meshpilot.kube.directory.LoadedMesh;
import dev.meshpilot.kube.directory.MeshLoader;
import dev.meshpilot.insight.whatif.TrafficEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * shared-cluster's edges.csv, written as Istio metrics, served by a real Prometheus and read back: every edge comes
 * back as (caller workload, service FQDN) with the protocol its Service port declares. Istio's metrics carry no port,
 * so an edge file's lines that differ only in port are one learned edge. Sidecars recommended from what Prometheus
 * showed, read back through the real converters, hold within 5% of the traffic oracle's clusters (1,818,
 * docs/footprint.md) and leave no call of edges.csv outside: {@code recommend --prometheus} meets the oracle.
 */
class EdgesRoundTripTest {

    private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");
    private static final int DAYS = 7;

    private record Edge(WorkloadKey caller, Destination destination) {
    }

    @Test
    void sharedClusterEdges_allComeBackFromPrometheus_withTheirProtocols(@TempDir Path work) throws Exception {
        MeshSnapshot registry = Examples.snapshot("shared-cluster");
        List<TrafficEdge> edges = Examples.edges("shared-cluster");
        LocalDate lastDay = LocalDate.parse("2026-11-30");
        EdgesToOpenMetrics.Synthesis synthesis = EdgesToOpenMetrics.counters(edges, registry, lastDay, DAYS);
        Map<Edge, Set<CallProtocol>> expected = new TreeMap<>(java.util.Comparator
                .comparing((Edge e) -> e.caller()).thenComparing(Edge::destination));
        for (TrafficEdge e : edges) {
            expected.computeIfAbsent(new Edge(new WorkloadKey(e.sourceNamespace(), e.sourceWorkload()),
                    Destination.ofHost(e.host())), k -> EnumSet.noneOf(CallProtocol.class)).add(protocol(registry, e));
        }

        DependencyLedger ledger;
        try (RealPrometheus prometheus = RealPrometheus.serving(work, synthesis.counters(), lastDay.minusDays(DAYS - 1),
                lastDay)) {
            ledger = new PrometheusEvidence(prometheus.uri(), Duration.ofDays(DAYS), Duration.ofSeconds(30),
                    HttpClient.newHttpClient()).read(END);
        }

        assertThat(synthesis.notes()).isEmpty();
        assertThat(edges).hasSize(499);
        assertThat(synthesis.counters()).as("edges differing only in port share a series").hasSize(498);
        assertThat(synthesis.counters().stream().map(c -> List.of(c.metric(), c.labels())).distinct().count())
                .as("no two series with the same labels").isEqualTo(synthesis.counters().size());
        assertThat(ledger.edgeCount()).isEqualTo(expected.size());
        Map<Edge, Set<CallProtocol>> learned = new TreeMap<>(java.util.Comparator
                .comparing((Edge e) -> e.caller()).thenComparing(Edge::destination));
        for (WorkloadLedger page : ledger.pages()) {
            page.calls().forEach((destination, evidence) ->
                    learned.put(new Edge(page.workload(), destination), evidence.protocols()));
            assertThat(page.lastReportedBy(EvidenceSource.PROMETHEUS)).contains(END);
        }
        assertThat(learned).isEqualTo(expected);
        assertThat(ledger.workloadCount()).isEqualTo(expected.keySet().stream().map(Edge::caller)
                .collect(Collectors.toSet()).size());
        assertThat(ledger.pages()).allSatisfy(page -> assertThat(page.calls().values())
                .allSatisfy(evidence -> assertThat(evidence.seenDays().last()).isEqualTo(lastDay.toEpochDay())));
        recommendedSidecars_holdNearTheOracle(registry, edges, ledger, work);
    }

    private static void recommendedSidecars_holdNearTheOracle(MeshSnapshot registry, List<TrafficEdge> edges,
                                                              DependencyLedger ledger, Path work) throws Exception {
        Recommendation recommendation = new Recommender(LearningSettings.defaults(), Set.of("istio-system"))
                .recommend(registry, ledger, END, Granularity.WORKLOAD);
        Path yaml = work.resolve("recommended.yaml");
        Files.writeString(yaml, RecommendationYaml.render(recommendation, List.of("from prometheus")));
        LoadedMesh readBack = MeshLoader.load(yaml);
        FootprintReport report = Examples.report("shared-cluster", Optional.of(WhatIfs.withSidecars(yaml.toString(),
                readBack.result().objects().sidecars(), List.of())), edges);

        assertThat(recommendation.brokenCalls()).isEmpty();
        assertThat(readBack.errors()).isEmpty();
        assertThat(report.proposed().orElseThrow().clusters()).isLessThanOrEqualTo(1_818 * 105 / 100);
        assertThat(report.outsideProposedCount()).isZero();
    }

    private static CallProtocol protocol(MeshSnapshot registry, TrafficEdge edge) {
        Protocol declared = registry.servicesNamed(edge.host()).stream().flatMap(s -> s.ports().stream())
                .filter(p -> p.port() == edge.port()).map(ServicePort::protocol).findFirst().orElse(Protocol.TCP);
        return declared == Protocol.GRPC ? CallProtocol.GRPC : declared.isHttp() ? CallProtocol.HTTP : CallProtocol.TCP;
    }
}
