package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.ConfigKey.Kind;
import dev.meshpilot.core.model.DestinationRuleResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.meshpilot.core.scope.TestMesh.dr;
import static dev.meshpilot.core.scope.TestMesh.drSelecting;
import static dev.meshpilot.core.scope.TestMesh.hosts;
import static dev.meshpilot.core.scope.TestMesh.k8s;
import static dev.meshpilot.core.scope.TestMesh.mesh;
import static dev.meshpilot.core.scope.TestMesh.proxy;
import static dev.meshpilot.core.scope.TestMesh.selecting;
import static dev.meshpilot.core.scope.TestMesh.sidecar;
import static dev.meshpilot.core.scope.TestMesh.t;
import static dev.meshpilot.core.scope.TestMesh.vs;
import static org.assertj.core.api.Assertions.assertThat;

/** R30 (DestinationRule attachment) and R48 (dependency set). */
class ScopeDependenciesAndRulesTest {

    private static final String A1 = "a.ns1.svc.cluster.local";
    private static final String B2 = "b.ns2.svc.cluster.local";

    private static String drOf(ProxyScope scope, String host) {
        DestinationRuleResource dr = scope.destinationRules().get(host);
        return dr == null ? "none" : dr.meta().namespace() + "/" + dr.meta().name();
    }

    @Test
    void r30_ruleInProxyNamespaceWinsOverServiceNamespace() {
        ProxyScope scope = mesh().add(k8s("b", "ns2", 80), dr("ns1", "client-side", B2), dr("ns2", "owner", B2))
                .scopes().scopeFor(proxy("ns1"));
        assertThat(drOf(scope, B2)).isEqualTo("ns1/client-side");
    }

    @Test
    void r30_serviceNamespaceRuleApplies_whenExportedToTheProxyNamespace() {
        ProxyScope scope = mesh().add(k8s("b", "ns2", 80), dr("ns2", "owner", B2, "ns1")).scopes()
                .scopeFor(proxy("ns1"));
        assertThat(drOf(scope, B2)).isEqualTo("ns2/owner");
    }

    @Test
    void r30_serviceNamespaceRuleExportedElsewhere_doesNotApply() {
        ProxyScope scope = mesh().add(k8s("b", "ns2", 80), dr("ns2", "owner", B2, "ns3")).scopes()
                .scopeFor(proxy("ns1"));
        assertThat(drOf(scope, B2)).isEqualTo("none");
    }

    @Test
    void r30_privateServiceNamespaceRule_appliesOnlyInItsNamespace() {
        TestMesh m = mesh().add(k8s("b", "ns2", 80), dr("ns2", "owner", B2, "."));
        assertThat(drOf(m.scopes().scopeFor(proxy("ns1")), B2)).isEqualTo("none");
        assertThat(drOf(m.scopes().scopeFor(proxy("ns2")), B2)).isEqualTo("ns2/owner");
    }

    @Test
    void r30_rootNamespaceRuleIsTheLastResort() {
        ProxyScope scope = mesh().add(k8s("b", "ns2", 80), dr("istio-system", "mesh-wide", "*.cluster.local"))
                .scopes().scopeFor(proxy("ns1"));
        assertThat(drOf(scope, B2)).isEqualTo("istio-system/mesh-wide");
    }

    @Test
    void r30_mostSpecificWildcardHostWins() {
        ProxyScope scope = mesh().add(k8s("b", "ns2", 80), dr("ns1", "broad", "*.cluster.local"),
                dr("ns1", "narrow", "*.ns2.svc.cluster.local")).scopes().scopeFor(proxy("ns1"));
        assertThat(drOf(scope, B2)).isEqualTo("ns1/narrow");
    }

    @Test
    void r30_shortHostResolvesInTheRuleNamespace() {
        ProxyScope scope = mesh().add(k8s("b", "ns2", 80), dr("ns2", "owner", "b")).scopes().scopeFor(proxy("ns1"));
        assertThat(drOf(scope, B2)).isEqualTo("ns2/owner");
    }

    @Test
    void r30_selectingRuleInProxyNamespace_appliesOnlyToSelectedWorkloads() {
        TestMesh m = mesh().add(k8s("b", "ns2", 80), dr("ns1", "all", B2),
                drSelecting("ns1", "canary-only", B2, Map.of("track", "canary")));
        SidecarScopes scopes = m.scopes();
        ProxyScope canary = scopes.scopeFor(proxy("ns1", "track", "canary"));
        ProxyScope stable = scopes.scopeFor(proxy("ns1", "track", "stable"));
        assertThat(drOf(canary, B2)).isEqualTo("ns1/canary-only");
        assertThat(drOf(stable, B2)).isEqualTo("ns1/all");
        assertThat(canary.key()).isNotEqualTo(stable.key());
    }

    @Test
    void r30_rulesOfOneHostInOneNamespace_areConsolidated() {
        DestinationRuleResource first = new DestinationRuleResource(
                new dev.meshpilot.core.model.ObjectMeta("ns1", "first", t(0), Map.of(), Map.of()), B2,
                List.of(new DestinationRuleResource.Subset("v1", Map.of("version", "v1"))), List.of(),
                java.util.Optional.empty());
        DestinationRuleResource second = new DestinationRuleResource(
                new dev.meshpilot.core.model.ObjectMeta("ns1", "second", t(5), Map.of(), Map.of()), B2,
                List.of(new DestinationRuleResource.Subset("v1", Map.of("version", "other")),
                        new DestinationRuleResource.Subset("v2", Map.of("version", "v2"))), List.of(),
                java.util.Optional.empty());
        ProxyScope scope = mesh().add(k8s("b", "ns2", 80), second, first).scopes().scopeFor(proxy("ns1"));
        DestinationRuleResource merged = scope.destinationRules().get(B2);
        assertThat(merged.meta().name()).isEqualTo("first");
        assertThat(merged.subsets()).extracting(DestinationRuleResource.Subset::name).containsExactly("v1", "v2");
        assertThat(merged.subsets().get(0).labels()).containsEntry("version", "v1");
        assertThat(scope.dependencies()).contains(first.key(), second.key());
    }

    @Test
    void r30_consolidation_keepsTheFirstRulesTrafficPolicy_orTakesTheNextOneWhenTheFirstHasNone() {
        dev.meshpilot.core.model.TrafficPolicy random = new dev.meshpilot.core.model.TrafficPolicy(
                java.util.Optional.empty(), java.util.Optional.of(new dev.meshpilot.core.model.TrafficPolicy.LoadBalancer(
                dev.meshpilot.core.model.TrafficPolicy.Simple.RANDOM, java.util.Optional.empty())),
                java.util.Optional.empty(), List.of());
        DestinationRuleResource first = new DestinationRuleResource(
                new dev.meshpilot.core.model.ObjectMeta("ns1", "first", t(0), Map.of(), Map.of()), B2,
                List.of(new DestinationRuleResource.Subset("v1", Map.of("version", "v1"))), List.of(),
                java.util.Optional.empty());
        DestinationRuleResource second = new DestinationRuleResource(
                new dev.meshpilot.core.model.ObjectMeta("ns1", "second", t(5), Map.of(), Map.of()), B2,
                List.of(), List.of(), java.util.Optional.empty(), java.util.Optional.of(random));
        ProxyScope scope = mesh().add(k8s("b", "ns2", 80), second, first).scopes().scopeFor(proxy("ns1"));
        assertThat(scope.destinationRules().get(B2).trafficPolicy()).contains(random);

        DestinationRuleResource firstWithOwn = first.with(first.subsets(), java.util.Optional.of(
                dev.meshpilot.core.model.TrafficPolicy.EMPTY));
        ProxyScope kept = mesh().add(k8s("b", "ns2", 80), second, firstWithOwn).scopes().scopeFor(proxy("ns1"));
        assertThat(kept.destinationRules().get(B2).trafficPolicy()).contains(dev.meshpilot.core.model.TrafficPolicy.EMPTY);
    }

    @Test
    void r48_dependenciesHoldSidecarVirtualServicesRulesAndServiceKeys() {
        ProxyScope scope = mesh().add(k8s("a", "ns1", 80), k8s("b", "ns2", 80), k8s("c", "ns3", 80),
                        sidecar("ns1", "sc", t(0), hosts("./*")), vs("ns1", "v", List.of(A1), B2),
                        dr("ns2", "owner", B2), dr("ns3", "unrelated", "c.ns3.svc.cluster.local"))
                .scopes().scopeFor(proxy("ns1"));
        assertThat(scope.dependencies()).containsExactlyInAnyOrder(
                ConfigKey.of(Kind.SIDECAR, "ns1", "sc"),
                ConfigKey.of(Kind.VIRTUAL_SERVICE, "ns1", "v"),
                ConfigKey.of(Kind.DESTINATION_RULE, "ns2", "owner"),
                ConfigKey.of(Kind.SERVICE, "ns1", A1), ConfigKey.of(Kind.ENDPOINTS, "ns1", A1),
                ConfigKey.of(Kind.SERVICE, "ns2", B2), ConfigKey.of(Kind.ENDPOINTS, "ns2", B2));
        assertThat(scope.dependsOn(ConfigKey.of(Kind.SERVICE, "ns3", "c.ns3.svc.cluster.local"))).isFalse();
    }

    @Test
    void r48_rootDerivedScopeDependsOnTheRootSidecar() {
        ProxyScope scope = mesh().add(k8s("a", "ns1", 80), sidecar("istio-system", "default", t(0), hosts("./*")))
                .scopes().scopeFor(proxy("ns1"));
        assertThat(scope.dependsOn(ConfigKey.of(Kind.SIDECAR, "istio-system", "default"))).isTrue();
        assertThat(scope.key().sidecar()).contains(ConfigKey.of(Kind.SIDECAR, "istio-system", "default"));
    }

    @Test
    void r48_synthesizedDefaultHasNoSidecarDependency() {
        ProxyScope scope = mesh().add(k8s("a", "ns1", 80)).scopes().scopeFor(proxy("ns1"));
        assertThat(scope.dependencies()).noneMatch(k -> k.kind() == Kind.SIDECAR);
        assertThat(scope.sidecar()).isEmpty();
    }

    @Test
    void appendix2_changeToPrivateLedgerConcernsNeitherPod_apiOnlyCheckout() {
        TestMesh m = mesh().add(
                sidecar("istio-system", "default", t(0), hosts("./*", "istio-system/*")),
                selecting("shop", "checkout", t(5), Map.of("app", "checkout"),
                        TestMesh.portListener(9080, "HTTP", "shop/*"), hosts("payments/*")),
                k8s("cart", "shop", 9080, 9090), k8s("db", "shop", 5432),
                k8s("api", "payments", 8443), k8s("ledger", "payments", t(0), List.of("."), 8080),
                k8s("istiod", "istio-system", 15010));
        SidecarScopes scopes = m.scopes();
        ProxyScope checkout = scopes.scopeFor(proxy("shop", "app", "checkout"));
        ProxyScope web = scopes.scopeFor(proxy("shop", "app", "web"));
        ConfigKey ledger = ConfigKey.of(Kind.SERVICE, "payments", "ledger.payments.svc.cluster.local");
        ConfigKey api = ConfigKey.of(Kind.SERVICE, "payments", "api.payments.svc.cluster.local");
        assertThat(checkout.dependsOn(ledger)).isFalse();
        assertThat(web.dependsOn(ledger)).isFalse();
        assertThat(checkout.dependsOn(api)).isTrue();
        assertThat(web.dependsOn(api)).isFalse();
    }
}
