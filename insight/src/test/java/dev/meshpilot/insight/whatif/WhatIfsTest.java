package dev.meshpilot.insight.whatif;

import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.insight.footprint.FootprintAnalyzer;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.footprint.FootprintStudy;
import dev.meshpilot.insight.footprint.WorkloadMeasurement;
import dev.meshpilot.insight.footprint.WorkloadRow;
import dev.meshpilot.insight.testing.Examples;
import dev.meshpilot.kube.directory.LoadedMesh;
import dev.meshpilot.kube.directory.MeshLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The what-ifs are real Sidecars run through the real scoping. */
class WhatIfsTest {

    private static final String SHARED = "shared-cluster";

    @Test
    void namespaceScope_limitsEveryProxyToItsNamespaceAndIstioSystem() {
        MeshSnapshot snapshot = Examples.snapshot(SHARED);
        Proposal proposal = WhatIfs.namespaceScope(snapshot);

        List<WorkloadMeasurement> rows = Examples.analyzer().analyze(WhatIfs.apply(snapshot, proposal));

        assertThat(proposal.sidecars()).singleElement().satisfies(s -> {
            assertThat(s.meta().namespace()).isEqualTo("istio-system");
            assertThat(s.hasWorkloadSelector()).isFalse();
            assertThat(s.egress().get(0).hosts()).containsExactly("./*", "istio-system/*");
        });
        for (WorkloadMeasurement m : rows) {
            assertThat(m.footprint().scopeName()).isEqualTo(WhatIfs.NAMESPACE_DEFAULT_NAME);
            assertThat(m.reachable()).allMatch(hp -> hp.contains("." + m.workload().namespace() + ".svc.")
                    || hp.contains(".istio-system.svc."), m.workload().id());
        }
    }

    @Test
    void namespaceScope_onSharedCluster_cutsClustersOfEveryWorkload() {
        FootprintReport report = Examples.report(SHARED, Optional.of(WhatIfs.namespaceScope(Examples.snapshot(SHARED))),
                List.of());

        assertThat(report.rows()).allSatisfy(r -> assertThat(r.proposed().orElseThrow().counts().clusters())
                .isLessThan(r.now().counts().clusters()));
        assertThat(report.proposed().orElseThrow().clusters()).isLessThan(report.now().clusters() / 2);
    }

    @Test
    void trafficOracle_leavesNoCallOutsideTheProposedScopes() {
        MeshSnapshot snapshot = Examples.snapshot(SHARED);
        List<TrafficEdge> edges = Examples.edges(SHARED);
        FootprintAnalyzer analyzer = Examples.analyzer();
        Proposal oracle = WhatIfs.trafficOracle(snapshot, edges, analyzer::analyses);

        FootprintReport report = Examples.report(SHARED, Optional.of(oracle), edges);

        assertThat(edges).hasSizeGreaterThan(400);
        assertThat(report.outsideProposedCount()).isZero();
        assertThat(report.rows()).allSatisfy(r -> assertThat(r.proposed().orElseThrow().scopeName())
                .isEqualTo(WhatIfs.ORACLE_PREFIX + r.workload().name()));
        assertThat(report.notes()).noneMatch(n -> n.contains("is scoped by Sidecar"));
        assertThat(report.proposed().orElseThrow().clusters())
                .isLessThan(report.now().clusters() / 10);
    }

    @Test
    void trafficOracle_importsExactlyTheCalledServices() {
        MeshSnapshot snapshot = Examples.snapshot(SHARED);
        List<TrafficEdge> edges = Examples.edges(SHARED);
        FootprintAnalyzer analyzer = Examples.analyzer();
        Proposal oracle = WhatIfs.trafficOracle(snapshot, edges, analyzer::analyses);

        List<WorkloadMeasurement> rows = analyzer.analyze(WhatIfs.apply(snapshot, oracle));

        Map<String, Set<String>> called = edges.stream().collect(Collectors.groupingBy(
                e -> e.sourceNamespace() + "/" + e.sourceWorkload(), Collectors.mapping(TrafficEdge::host,
                        Collectors.toSet())));
        for (WorkloadMeasurement m : rows) {
            Set<String> hosts = m.reachable().stream().map(hp -> hp.substring(0, hp.lastIndexOf(':')))
                    .collect(Collectors.toSet());
            assertThat(hosts).as(m.workload().id()).isEqualTo(called.getOrDefault(m.workload().id(), Set.of()));
        }
    }

    @Test
    void trafficOracle_workloadThatCallsNobody_importsNothing() {
        MeshSnapshot snapshot = Examples.snapshot("bookinfo");
        List<TrafficEdge> edges = Examples.edges("bookinfo");
        FootprintAnalyzer analyzer = Examples.analyzer();

        List<WorkloadMeasurement> rows = analyzer.analyze(WhatIfs.apply(snapshot,
                WhatIfs.trafficOracle(snapshot, edges, analyzer::analyses)));

        WorkloadMeasurement ratings = rows.stream().filter(r -> r.workload().name().equals("ratings-v1"))
                .findFirst().orElseThrow();
        assertThat(edges).noneMatch(e -> e.sourceWorkload().equals("ratings-v1"));
        assertThat(ratings.reachable()).isEmpty();
    }

    @Test
    void trafficOracle_edgesFromUnknownWorkloads_areIgnoredWithANote() {
        MeshSnapshot snapshot = Examples.snapshot("bookinfo");
        List<TrafficEdge> edges = List.of(new TrafficEdge("ghost", "default", "reviews.default.svc.cluster.local",
                9080, "", 2), new TrafficEdge("productpage-v1", "default", "nowhere.example.com", 80, "", 3));

        Proposal oracle = WhatIfs.trafficOracle(snapshot, edges, g -> true);

        assertThat(oracle.notes()).anyMatch(n -> n.contains("default/ghost"))
                .anyMatch(n -> n.contains("nowhere.example.com"));
    }

    @Test
    void narrowerScope_listsTheCrossNamespaceCallItWouldBreak() {
        MeshSnapshot snapshot = Examples.snapshot(SHARED);
        TrafficEdge crossing = new TrafficEdge("productpage-v1", "bookinfo", "web-svc.emojivoto.svc.cluster.local",
                80, "made up for the test", 1);
        assertThat(snapshot.servicesNamed(crossing.host())).isNotEmpty();

        FootprintReport report = Examples.report(SHARED, Optional.of(WhatIfs.namespaceScope(snapshot)),
                List.of(crossing));

        WorkloadRow productpage = report.rows().stream()
                .filter(r -> r.workload().id().equals("bookinfo/productpage-v1")).findFirst().orElseThrow();
        assertThat(productpage.outsideNow()).isEmpty();
        assertThat(productpage.outsideProposed()).containsExactly(crossing);
        assertThat(report.outsideProposedCount()).isEqualTo(1);
        assertThat(report.trafficChecked()).isTrue();
    }

    @Test
    void withSidecars_replaceASidecarOfTheSameNamespaceAndName() {
        MeshSnapshot snapshot = Examples.snapshot("shared-cluster-root-default");
        SidecarResource existing = snapshot.sidecars().stream()
                .filter(s -> s.meta().namespace().equals("istio-system")).findFirst().orElseThrow();
        SidecarResource replacement = new SidecarResource(ObjectMeta.of("istio-system", existing.meta().name()),
                Optional.empty(), List.of(SidecarResource.EgressListener.ofHosts("*/*")), List.of(), Optional.empty());

        MeshSnapshot applied = WhatIfs.apply(snapshot,
                WhatIfs.withSidecars("test", List.of(replacement), List.of()));

        assertThat(applied.sidecars()).hasSize(snapshot.sidecars().size()).contains(replacement)
                .doesNotContain(existing);
        assertThat(applied.version()).isGreaterThan(snapshot.version());
    }

    @Test
    void withSidecars_describesAFewByNameAndCountsTheRest() {
        List<SidecarResource> many = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            many.add(new SidecarResource(ObjectMeta.of("ns", "s" + i), Optional.empty(),
                    List.of(SidecarResource.EgressListener.ofHosts("./*")), List.of(), Optional.empty()));
        }

        Proposal proposal = WhatIfs.withSidecars("dir", many, List.of());

        assertThat(proposal.description()).isEqualTo("8 Sidecars from dir: ns/s0, ns/s1, ns/s2, ns/s3, ns/s4 and 3 more");
    }

    @Test
    void withSidecars_rootDefaultFile_matchesTheNamespaceWhatIf() {
        MeshSnapshot plain = Examples.snapshot(SHARED);
        SidecarResource rootDefault = Examples.snapshot("shared-cluster-root-default").sidecars().stream()
                .filter(s -> s.meta().namespace().equals("istio-system")).findFirst().orElseThrow();
        FootprintAnalyzer analyzer = Examples.analyzer();

        List<WorkloadMeasurement> viaWith = analyzer.analyze(WhatIfs.apply(plain,
                WhatIfs.withSidecars("root-default-sidecar.yaml", List.of(rootDefault), List.of())));
        List<WorkloadMeasurement> viaScope = analyzer.analyze(WhatIfs.apply(plain, WhatIfs.namespaceScope(plain)));

        assertThat(viaWith).hasSameSizeAs(viaScope);
        for (int i = 0; i < viaWith.size(); i++) {
            assertThat(viaWith.get(i).footprint().counts()).isEqualTo(viaScope.get(i).footprint().counts());
            assertThat(viaWith.get(i).footprint().bytes()).isEqualTo(viaScope.get(i).footprint().bytes());
        }
    }

    @Test
    void trafficOracle_workloadsWithOverlappingLabels_eachGetTheirOwnSidecar(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("mesh.yaml"), String.join("\n---\n", List.of(
                namespace("ov"),
                service("a", "ov", "a"), service("b", "ov", "b"), service("c", "ov", "c"),
                deployment("a", "ov", Map.of("app", "a")),
                deployment("a-canary", "ov", Map.of("app", "a", "track", "canary")),
                deployment("b", "ov", Map.of("app", "b")),
                deployment("c", "ov", Map.of("app", "c")))));
        LoadedMesh mesh = MeshLoader.load(dir);
        assertThat(mesh.errors()).isEmpty();
        List<TrafficEdge> edges = List.of(
                new TrafficEdge("a", "ov", "b.ov.svc.cluster.local", 80, "", 2),
                new TrafficEdge("a-canary", "ov", "c.ov.svc.cluster.local", 80, "", 3));
        FootprintAnalyzer analyzer = Examples.analyzer();

        FootprintReport report = new FootprintStudy(analyzer).run(mesh.snapshot(),
                Optional.of(WhatIfs.trafficOracle(mesh.snapshot(), edges, analyzer::analyses)), edges,
                Examples.settings(dir.toString()), List.of());

        Map<String, String> scopes = report.rows().stream().collect(Collectors.toMap(r -> r.workload().name(),
                r -> r.proposed().orElseThrow().scopeName()));
        assertThat(scopes).containsEntry("a", "oracle-a").containsEntry("a-canary", "oracle-a-canary");
        assertThat(report.outsideProposedCount()).isZero();
        assertThat(report.notes()).isEmpty();
    }

    private static String namespace(String name) {
        return "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n";
    }

    private static String service(String name, String ns, String app) {
        return "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name + "\n  namespace: " + ns
                + "\nspec:\n  selector:\n    app: " + app + "\n  ports:\n  - name: http\n    port: 80\n";
    }

    private static String deployment(String name, String ns, Map<String, String> labels) {
        List<String> lines = new ArrayList<>();
        labels.forEach((k, v) -> lines.add("        " + k + ": " + v));
        String labelBlock = String.join("\n", lines);
        return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\n  namespace: " + ns
                + "\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n" + labelBlock.replace("        ", "      ")
                + "\n  template:\n    metadata:\n      labels:\n" + labelBlock + "\n    spec:\n      containers:\n"
                + "      - name: main\n        image: example/main\n";
    }
}
