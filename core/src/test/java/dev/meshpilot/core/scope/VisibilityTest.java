package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static dev.meshpilot.core.scope.TestMesh.exported;
import static dev.meshpilot.core.scope.TestMesh.k8s;
import static dev.meshpilot.core.scope.TestMesh.se;
import static dev.meshpilot.core.scope.TestMesh.t;
import static org.assertj.core.api.Assertions.assertThat;

/** R5–R8: effective exportTo, the visibility predicate and the per-namespace candidate index. */
class VisibilityTest {

    private static List<String> list(String csv) {
        return csv.isEmpty() ? List.of() : Arrays.asList(csv.split(";"));
    }

    @Test
    void declaredExportTo_replacesTheMeshDefault() {
        ExportTo e = ExportTo.effective(List.of("bar"), List.of("*"));
        assertThat(e.values()).containsExactly("bar");
        assertThat(e.declared()).isTrue();
    }

    @Test
    void emptyDeclaration_usesTheWholeMeshDefault() {
        ExportTo e = ExportTo.effective(List.of(), List.of(".", "bar"));
        assertThat(e.values()).containsExactlyInAnyOrder(".", "bar");
        assertThat(e.declared()).isFalse();
    }

    @Test
    void virtualServiceWithoutExportTo_usesTheVirtualServiceDefault() {
        MeshConfig mesh = TestMesh.mesh().defaultVirtualServiceExportTo(".").meshConfig();
        var vs = TestMesh.vs("ns1", "v", List.of("a.ns1.svc.cluster.local"), "b");
        assertThat(ExportTo.forVirtualService(vs, mesh).admits("ns1", "ns2")).isFalse();
        assertThat(ExportTo.forVirtualService(vs, mesh).admits("ns1", "ns1")).isTrue();
        assertThat(ExportTo.forVirtualService(TestMesh.vsExportTo(vs, "*"), mesh).admits("ns1", "ns2")).isTrue();
    }

    @Test
    void destinationRuleDefault_onlyDotMakesRulesPrivate() {
        var dr = TestMesh.dr("ns1", "d", "x");
        MeshConfig named = new MeshConfig("istio-system", List.of("*"), List.of("*"), List.of("ns9"),
                dev.meshpilot.core.model.OutboundTrafficPolicy.ALLOW_ANY, List.of(), "cluster.local");
        MeshConfig dot = new MeshConfig("istio-system", List.of("*"), List.of("*"), List.of("."),
                dev.meshpilot.core.model.OutboundTrafficPolicy.ALLOW_ANY, List.of(), "cluster.local");
        assertThat(ExportTo.forDestinationRule(dr, named).isPublic()).isTrue();
        assertThat(ExportTo.forDestinationRule(dr, dot).admits("ns1", "ns2")).isFalse();
        assertThat(ExportTo.forDestinationRule(TestMesh.drSelecting("ns1", "s", "x", java.util.Map.of("a", "b")),
                MeshConfig.DEFAULT).admits("ns1", "ns2")).isFalse();
    }

    @Test
    void destinationRuleMeshDefaultDot_keepsTheRuleInItsNamespace() {
        TestMesh m = TestMesh.mesh().add(k8s("b", "ns2", 80), TestMesh.dr("ns2", "owner", "b.ns2.svc.cluster.local"));
        MeshConfig dot = new MeshConfig("istio-system", List.of("*"), List.of("*"), List.of("."),
                dev.meshpilot.core.model.OutboundTrafficPolicy.ALLOW_ANY, List.of(), "cluster.local");
        ProxyScope other = m.config(dot).scopes().scopeFor(TestMesh.proxy("ns1"));
        ProxyScope own = m.scopes().scopeFor(TestMesh.proxy("ns2"));
        assertThat(other.destinationRule("b.ns2.svc.cluster.local")).isEmpty();
        assertThat(own.destinationRule("b.ns2.svc.cluster.local")).isPresent();
    }

    @Test
    void annotationValue_isSplitOnCommasAndTrimmed() {
        assertThat(ExportTo.effective(List.of(" ., client "), List.of("*")).values())
                .containsExactlyInAnyOrder(".", "client");
    }

    @ParameterizedTest(name = "R7 exportTo [{0}] of a service in ns1, seen from {1}: {2}")
    @CsvSource({
            "*,        ns1, true",
            "*,        ns2, true",
            ".,        ns1, true",
            ".,        ns2, false",
            "ns2,      ns1, false",
            "ns2,      ns2, true",
            ".;ns2,    ns2, true",
            "ns1,      ns1, true",
            "~,        ns1, false",
            "~;.,      ns1, true",
    })
    void admits_isIstiosIsServiceVisible(String exportTo, String namespace, boolean visible) {
        assertThat(ExportTo.effective(list(exportTo), List.of("*")).admits("ns1", namespace)).isEqualTo(visible);
    }

    @Test
    void mixedNoneAndPrivate_isVisibleByPredicateButNotIndexed() {
        MeshService s = exported(k8s("a", "ns1", 80), "~", ".");
        ServiceIndex index = new ServiceIndex(List.of(s), MeshConfig.DEFAULT);
        assertThat(index.isVisible(s, "ns1")).isTrue();
        assertThat(index.isCandidate(s, "ns1")).isFalse();
        assertThat(index.candidatesFor("ns1")).isEmpty();
        assertThat(index.invisibilityReason(s, "ns1")).get().extracting(ServiceIndex.Invisibility::rule).isEqualTo("R8");
    }

    @Test
    void publicWinsOverNone() {
        MeshService s = exported(k8s("a", "ns1", 80), "*", "~");
        ServiceIndex index = new ServiceIndex(List.of(s), MeshConfig.DEFAULT);
        assertThat(index.candidatesFor("other")).containsExactly(s);
    }

    @Test
    void candidates_areBucketThenPublic_eachInGlobalOrder() {
        MeshService old = k8s("z", "ns1", t(0), List.of(), 80);
        MeshService young = k8s("a", "ns1", t(9), List.of(), 80);
        MeshService bucketed = k8s("m", "ns2", t(5), List.of("client"), 80);
        MeshService own = k8s("own", "client", t(7), List.of("."), 80);
        ServiceIndex index = new ServiceIndex(List.of(young, own, old, bucketed), MeshConfig.DEFAULT);
        assertThat(index.candidatesFor("client")).containsExactly(bucketed, own, old, young);
    }

    @Test
    void globalOrder_breaksTimeTiesByServiceNameThenNamespace() {
        MeshService dashed = k8s("a-b", "ns1", 80);
        MeshService plain = k8s("a", "ns2", 80);
        MeshService plainNs1 = k8s("a", "ns1", 80);
        ServiceIndex index = new ServiceIndex(List.of(dashed, plain, plainNs1), MeshConfig.DEFAULT);
        // hostname order would put a-b.ns1... before a.ns1...; Istio compares the service name
        assertThat(index.all()).containsExactly(plainNs1, plain, dashed);
    }

    @Test
    void hostNamespaceIndex_prefersKubernetesOverOlderServiceEntry() {
        MeshService entry = se("squat", "ns1", "a.ns1.svc.cluster.local", MeshService.Resolution.DNS, t(0), 80);
        MeshService kube = TestMesh.created(k8s("a", "ns1", 80), t(10));
        ServiceIndex index = new ServiceIndex(List.of(entry, kube), MeshConfig.DEFAULT);
        assertThat(index.byHostAndNamespace("a.ns1.svc.cluster.local", "ns1")).contains(kube);
    }

    @Test
    void hostNamespaceIndex_keepsTheOldestServiceEntry() {
        MeshService older = se("old", "ns1", "x.com", MeshService.Resolution.DNS, t(0), 80);
        MeshService newer = se("new", "ns1", "x.com", MeshService.Resolution.DNS, t(5), 81);
        ServiceIndex index = new ServiceIndex(List.of(newer, older), MeshConfig.DEFAULT);
        assertThat(index.byHostAndNamespace("x.com", "ns1")).contains(older);
    }

    @Test
    void invisibilityReason_namesOwnNamespaceHiding() {
        MeshService s = exported(k8s("a", "ns1", 80), "ns2");
        ServiceIndex index = new ServiceIndex(List.of(s), MeshConfig.DEFAULT);
        assertThat(index.invisibilityReason(s, "ns1")).get()
                .satisfies(r -> assertThat(r.rule()).isEqualTo("R7"))
                .satisfies(r -> assertThat(r.detail()).contains("hidden from its own namespace"));
        assertThat(index.invisibilityReason(s, "ns2")).isEmpty();
    }
}
