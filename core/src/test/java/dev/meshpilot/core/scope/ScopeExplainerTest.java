package dev.meshpilot.core.scope;

import dev.meshpilot.core.scope.ScopeExplanation.ServiceDecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.meshpilot.core.scope.TestMesh.exported;
import static dev.meshpilot.core.scope.TestMesh.hosts;
import static dev.meshpilot.core.scope.TestMesh.k8s;
import static dev.meshpilot.core.scope.TestMesh.mesh;
import static dev.meshpilot.core.scope.TestMesh.portListener;
import static dev.meshpilot.core.scope.TestMesh.proxy;
import static dev.meshpilot.core.scope.TestMesh.se;
import static dev.meshpilot.core.scope.TestMesh.selecting;
import static dev.meshpilot.core.scope.TestMesh.sidecar;
import static dev.meshpilot.core.scope.TestMesh.t;
import static dev.meshpilot.core.scope.TestMesh.vs;
import static org.assertj.core.api.Assertions.assertThat;

/** The explainer says what {@link SidecarScopes} computes, and why, naming the rule. */
class ScopeExplainerTest {

    static List<ScopingRulesTest.Case> cases() {
        return ScopingRulesTest.cases();
    }

    @ParameterizedTest(name = "consistent with SidecarScopes: {0}")
    @MethodSource("cases")
    void explanation_agreesWithSidecarScopes(ScopingRulesTest.Case c) {
        SidecarScopes scopes = c.mesh().scopes();
        ProxyScope scope = scopes.scopeFor(c.proxy());
        ScopeExplanation explanation = new ScopeExplainer(scopes).explain(c.proxy());

        Set<String> explainedIn = explanation.inScope().stream().map(d -> d.hostname() + "@" + d.namespace())
                .collect(Collectors.toSet());
        Set<String> computed = scope.services().stream().map(s -> s.hostname() + "@" + s.namespace())
                .collect(Collectors.toSet());
        assertThat(explainedIn).isEqualTo(computed);
        for (ServiceDecision d : explanation.inScope()) {
            List<Integer> ports = scope.services().stream().filter(s -> s.hostname().equals(d.hostname()))
                    .findFirst().orElseThrow().ports().stream().map(p -> p.port()).toList();
            assertThat(d.ports()).as(d.hostname()).isEqualTo(ports);
        }
        assertThat(explanation.scopeName()).isEqualTo(scope.name());
        assertThat(explanation.services()).allSatisfy(d -> assertThat(d.rule()).matches("R\\d+"));
        assertThat(explanation.render()).contains(c.proxy().proxyId());
    }

    private static ServiceDecision decision(ScopeExplanation e, String hostname) {
        return e.services().stream().filter(d -> d.hostname().equals(hostname)).findFirst().orElseThrow();
    }

    @Test
    void notExported_isExplainedWithR7() {
        TestMesh m = mesh().add(k8s("api", "payments", 8443), k8s("ledger", "payments", t(0), List.of("."), 8080),
                sidecar("shop", "sc", t(0), hosts("payments/*")));
        ScopeExplanation e = new ScopeExplainer(m.scopes()).explain(proxy("shop"));
        ServiceDecision ledger = decision(e, "ledger.payments.svc.cluster.local");
        assertThat(ledger.inScope()).isFalse();
        assertThat(ledger.rule()).isEqualTo("R7");
        assertThat(ledger.reason()).contains("'payments/*' names it").contains("does not bypass exportTo");
        ServiceDecision api = decision(e, "api.payments.svc.cluster.local");
        assertThat(api.inScope()).isTrue();
        assertThat(api.reason()).contains("imported by listener #1");
        assertThat(api.details()).anyMatch(d -> d.contains("imported via 'payments/*'"));
    }

    @Test
    void exclusion_isExplainedWithR24() {
        TestMesh m = mesh().add(k8s("a", "ns1", 80), k8s("b", "ns2", 80),
                sidecar("ns1", "sc", t(0), hosts("*/*", "~/b.ns2.svc.cluster.local")));
        ServiceDecision b = decision(new ScopeExplainer(m.scopes()).explain(proxy("ns1")), "b.ns2.svc.cluster.local");
        assertThat(b.inScope()).isFalse();
        assertThat(b.rule()).isEqualTo("R24");
        assertThat(b.reason()).contains("'~/b.ns2.svc.cluster.local'");
    }

    @Test
    void noHostMatch_isExplainedWithR22() {
        TestMesh m = mesh().add(k8s("a", "ns1", 80), k8s("b", "ns2", 80), sidecar("ns1", "sc", t(0), hosts("./*")));
        ServiceDecision b = decision(new ScopeExplainer(m.scopes()).explain(proxy("ns1")), "b.ns2.svc.cluster.local");
        assertThat(b.rule()).isEqualTo("R22");
        assertThat(b.reason()).contains("no egress host matches");
    }

    @Test
    void portNotInListener_isExplainedWithR25() {
        TestMesh m = mesh().add(k8s("a", "ns1", 80, 9080), k8s("b", "ns1", 80),
                sidecar("ns1", "sc", t(0), portListener(9080, "HTTP", "./*")));
        ScopeExplanation e = new ScopeExplainer(m.scopes()).explain(proxy("ns1"));
        assertThat(decision(e, "b.ns1.svc.cluster.local").rule()).isEqualTo("R25");
        assertThat(decision(e, "a.ns1.svc.cluster.local").ports()).containsExactly(9080);
        assertThat(decision(e, "a.ns1.svc.cluster.local").details()).anyMatch(d -> d.contains("narrowed to port 9080"));
    }

    @Test
    void lostHostnameTie_namesTheWinningNamespace() {
        TestMesh m = mesh().add(se("mine", "ns1", "api.ext.com", 443), se("theirs", "ns2", "api.ext.com", 443));
        ScopeExplanation e = new ScopeExplainer(m.scopes()).explain(proxy("ns1"), "api.ext.com");
        assertThat(e.services()).hasSize(2);
        ServiceDecision theirs = e.services().stream().filter(d -> d.namespace().equals("ns2")).findFirst().orElseThrow();
        assertThat(theirs.inScope()).isFalse();
        assertThat(theirs.rule()).isEqualTo("R23");
        assertThat(theirs.reason()).contains("namespace ns1").contains("proxy namespace wins");
    }

    @Test
    void virtualServiceImport_namesTheVirtualService() {
        TestMesh m = mesh().add(k8s("a", "ns1", 80), k8s("b", "ns2", 80), sidecar("ns1", "sc", t(0), hosts("./*")),
                vs("ns1", "route-a", List.of("a.ns1.svc.cluster.local"), "b.ns2.svc.cluster.local"));
        ServiceDecision b = decision(new ScopeExplainer(m.scopes()).explain(proxy("ns1")), "b.ns2.svc.cluster.local");
        assertThat(b.inScope()).isTrue();
        assertThat(b.rule()).isEqualTo("R29");
        assertThat(b.reason()).contains("VirtualService ns1/route-a");
    }

    @Test
    void sidecarDecision_listsLosingCandidatesWithReasons() {
        TestMesh m = mesh().add(k8s("a", "ns1", 80),
                sidecar("istio-system", "default", t(0), hosts("./*")),
                selecting("ns1", "canary", t(0), Map.of("track", "canary"), hosts("./*")));
        ScopeExplanation e = new ScopeExplainer(m.scopes()).explain(proxy("ns1", "track", "stable"));
        assertThat(e.sidecar().applied()).isEqualTo("istio-system/default");
        assertThat(e.sidecar().rule()).isEqualTo("R15");
        assertThat(e.sidecar().candidates()).anySatisfy(c -> {
            assertThat(c.sidecar()).isEqualTo("ns1/canary");
            assertThat(c.selected()).isFalse();
            assertThat(c.reason()).contains("does not match");
        });
        assertThat(e.render()).contains("Sidecar: istio-system/default").contains("- ns1/canary");
    }

    @Test
    void hostFilter_forAnUnknownHost_saysSoAndNamesThePolicy() {
        ScopeExplanation e = new ScopeExplainer(mesh().add(k8s("a", "ns1", 80)).scopes())
                .explain(proxy("ns1"), "nowhere.example.com");
        assertThat(e.services()).isEmpty();
        assertThat(e.notes()).anyMatch(n -> n.contains("no service of the mesh has hostname nowhere.example.com")
                && n.contains("PassthroughCluster"));
    }

    @Test
    void hostFilter_includesWildcardServicesCoveringTheHost() {
        ScopeExplanation e = new ScopeExplainer(mesh().add(se("wiki", "ext", "*.wiki.org", 443)).scopes())
                .explain(proxy("ns1"), "en.wiki.org");
        assertThat(e.services()).extracting(ServiceDecision::hostname).containsExactly("*.wiki.org");
    }

    @Test
    void hostFilter_acceptsKubernetesShortNames() {
        TestMesh m = mesh().add(k8s("reviews", "ns1", 80), k8s("reviews", "ns2", 80), k8s("ratings", "ns1", 80));
        ScopeExplainer explainer = new ScopeExplainer(m.scopes());
        assertThat(explainer.explain(proxy("ns1"), "reviews").services()).extracting(ServiceDecision::namespace)
                .containsExactly("ns1", "ns2");
        assertThat(explainer.explain(proxy("ns1"), "reviews.ns2").services()).extracting(ServiceDecision::namespace)
                .containsExactly("ns2");
    }

    @Test
    void exportedToNobody_isExplainedWithR8() {
        ScopeExplanation e = new ScopeExplainer(mesh().add(exported(k8s("a", "ns1", 80), "~")).scopes())
                .explain(proxy("ns1"));
        assertThat(e.services().get(0).rule()).isEqualTo("R8");
    }

    @Test
    void skippedHostEntries_areNoted() {
        ScopeExplanation e = new ScopeExplainer(mesh().add(k8s("a", "ns1", 80),
                sidecar("ns1", "sc", t(0), hosts("no-slash", "./*"))).scopes()).explain(proxy("ns1"));
        assertThat(e.notes()).anyMatch(n -> n.contains("'no-slash'") && n.contains("R20"));
    }

    @Test
    void discoverySelectors_explainDroppedNamespacesWithR12() {
        TestMesh m = mesh().add(k8s("a", "ns1", 80), k8s("b", "ns2", 80)).discoverySelector(Map.of("mesh", "on"))
                .namespace("ns1", Map.of("mesh", "on"));
        ServiceDecision b = decision(new ScopeExplainer(m.scopes()).explain(proxy("ns1")), "b.ns2.svc.cluster.local");
        assertThat(b.rule()).isEqualTo("R12");
    }
}
