package dev.meshpilot.server.push;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.ConfigKey.Kind;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.PeerAuthenticationResource;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.registry.ChangeSet;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.ScopeKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PushPlannerTest {
    private static final ProxyIdentity WEB = new ProxyIdentity("web-0", "a", Map.of("app", "web"), "10.0.0.1",
            ProxyIdentity.ProxyKind.SIDECAR);
    private static final MeshSnapshot EMPTY = MeshSnapshot.empty(MeshConfig.DEFAULT);

    private static ConfigKey svc(String ns, String name) {
        return ConfigKey.of(Kind.SERVICE, ns, name + "." + ns + ".svc.cluster.local");
    }

    private static ConfigKey eps(String ns, String name) {
        return ConfigKey.of(Kind.ENDPOINTS, ns, name + "." + ns + ".svc.cluster.local");
    }

    private static ProxyScope scope(String ns, Optional<ConfigKey> sidecar, ConfigKey... deps) {
        return new ProxyScope(new ScopeKey(ns, sidecar, Set.of()), "default-sidecar", ns, Optional.empty(),
                List.of(), List.of(), List.of(), Map.of(), OutboundTrafficPolicy.ALLOW_ANY, Set.of(deps));
    }

    private static ChangeSet changes(ConfigKey... keys) {
        return new ChangeSet(1, 2, Set.of(keys));
    }

    private static PushPlanner.Decision decide(ChangeSet c, ProxyScope before, ProxyScope after) {
        return PushPlanner.decide(c, WEB, before, WEB, after, EMPTY, EMPTY);
    }

    @Test
    void changeToAServiceInTheScope_pushes() {
        ProxyScope s = scope("a", Optional.empty(), svc("b", "api"), eps("b", "api"));
        PushPlanner.Decision d = decide(changes(svc("b", "api")), s, s);
        assertThat(d.push()).isTrue();
        assertThat(d.endpointsOnly()).isFalse();
        assertThat(d.relevant()).containsExactly(svc("b", "api"));
    }

    @Test
    void changeToAServiceOutsideTheScope_doesNotPush() {
        ProxyScope s = scope("a", Optional.empty(), svc("a", "web"), eps("a", "web"));
        assertThat(decide(changes(svc("b", "api"), eps("b", "api")), s, s).push()).isFalse();
    }

    @Test
    void serviceOnlyInThePreviousScope_pushes_soTheProxyLosesIt() {
        ProxyScope before = scope("a", Optional.empty(), svc("b", "api"));
        ProxyScope after = scope("a", Optional.empty());
        assertThat(decide(changes(svc("b", "api")), before, after).push()).isTrue();
    }

    @Test
    void serviceOnlyInTheNewScope_pushes_soTheProxyGainsIt() {
        ProxyScope before = scope("a", Optional.empty());
        ProxyScope after = scope("a", Optional.empty(), svc("b", "api"));
        assertThat(decide(changes(svc("b", "api")), before, after).push()).isTrue();
    }

    @Test
    void endpointOnlyChangeInTheScope_isEndpointsOnly() {
        ProxyScope s = scope("a", Optional.empty(), svc("b", "api"), eps("b", "api"));
        PushPlanner.Decision d = decide(changes(eps("b", "api"), eps("c", "other")), s, s);
        assertThat(d.push()).isTrue();
        assertThat(d.endpointsOnly()).isTrue();
        assertThat(d.relevant()).containsExactly(eps("b", "api"));
    }

    @Test
    void meshConfigOrNamespaceChange_pushesEveryone() {
        ProxyScope s = scope("a", Optional.empty());
        assertThat(decide(changes(ConfigKey.of(Kind.MESH_CONFIG, "", "mesh")), s, s).push()).isTrue();
        assertThat(decide(changes(ConfigKey.of(Kind.NAMESPACE, "", "zzz")), s, s).push()).isTrue();
    }

    @Test
    void workloadChange_pushesOnlyThatPodsOwnProxy() {
        ProxyScope s = scope("a", Optional.empty());
        assertThat(decide(changes(ConfigKey.of(Kind.WORKLOAD, "a", "web-0")), s, s).push()).isTrue();
        assertThat(decide(changes(ConfigKey.of(Kind.WORKLOAD, "a", "web-1")), s, s).push()).isFalse();
    }

    @Test
    void sidecarThatNowAppliesToTheProxy_pushes_evenWithoutDependencyOnIt() {
        ConfigKey sidecar = ConfigKey.of(Kind.SIDECAR, "a", "narrow");
        ProxyScope before = scope("a", Optional.empty());
        ProxyScope after = scope("a", Optional.of(sidecar));
        PushPlanner.Decision d = decide(changes(sidecar), before, after);
        assertThat(d.push()).isTrue();
        assertThat(d.endpointsOnly()).isFalse();
    }

    @Test
    void sidecarOfAnotherNamespace_doesNotPush() {
        ProxyScope s = scope("a", Optional.empty(), ConfigKey.of(Kind.SIDECAR, "istio-system", "default"));
        assertThat(decide(changes(ConfigKey.of(Kind.SIDECAR, "b", "default")), s, s).push()).isFalse();
        assertThat(decide(changes(ConfigKey.of(Kind.SIDECAR, "istio-system", "default")), s, s).push()).isTrue();
    }

    @Test
    void serviceSelectingTheProxy_pushesIt_evenWhenOutOfScope() {
        MeshService web = new MeshService("web.a.svc.cluster.local", "a", MeshService.Registry.KUBERNETES,
                ObjectMeta.of("a", "web"), List.of(ServicePort.of("http", 80, Protocol.HTTP)), Map.of("app", "web"),
                List.of(), MeshService.Resolution.CLIENT_SIDE_LB, List.of(), false, List.of());
        MeshSnapshot withWeb = new MeshSnapshot(2, MeshConfig.DEFAULT, List.of(), List.of(web), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of());
        ProxyScope s = scope("a", Optional.empty());
        assertThat(PushPlanner.decide(changes(web.key()), WEB, s, WEB, s, EMPTY, withWeb).push()).isTrue();
        ProxyIdentity other = new ProxyIdentity("db-0", "a", Map.of("app", "db"), "", ProxyIdentity.ProxyKind.SIDECAR);
        assertThat(PushPlanner.decide(changes(web.key()), other, s, other, s, EMPTY, withWeb).push()).isFalse();
    }

    @Test
    void scopesAreRecomputed_onlyWhenAScopeInputChanged() {
        assertThat(PushPlanner.scopesNeedRecompute(changes(eps("a", "web")))).isFalse();
        assertThat(PushPlanner.scopesNeedRecompute(changes(ConfigKey.of(Kind.WORKLOAD, "a", "web-0")))).isFalse();
        assertThat(PushPlanner.scopesNeedRecompute(changes(svc("a", "web")))).isTrue();
        assertThat(PushPlanner.scopesNeedRecompute(changes(ConfigKey.of(Kind.VIRTUAL_SERVICE, "a", "vs")))).isTrue();
        assertThat(PushPlanner.scopesNeedRecompute(changes(ConfigKey.of(Kind.MESH_CONFIG, "", "mesh")))).isTrue();
    }

    // ----- PeerAuthentication (issue 13): who a policy governs, and whose auto-mTLS it decides

    private static MeshSnapshot withPolicies(PeerAuthenticationResource... policies) {
        return new MeshSnapshot(1, MeshConfig.DEFAULT, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(policies));
    }

    private static PeerAuthenticationResource pa(String ns, String name, Map<String, String> selector) {
        return new PeerAuthenticationResource(ObjectMeta.of(ns, name), selector, PeerAuthenticationResource.Mode.STRICT,
                Map.of());
    }

    private static ProxyScope scopeWithServiceIn(String proxyNs, String serviceNs) {
        MeshService api = new MeshService("api." + serviceNs + ".svc.cluster.local", serviceNs,
                MeshService.Registry.KUBERNETES, ObjectMeta.of(serviceNs, "api"),
                List.of(ServicePort.of("http", 80, Protocol.HTTP)), Map.of("app", "api"), List.of(),
                MeshService.Resolution.CLIENT_SIDE_LB, List.of(), false, List.of());
        return new ProxyScope(new ScopeKey(proxyNs, Optional.empty(), Set.of()), "default-sidecar", proxyNs,
                Optional.empty(), List.of(), List.of(api), List.of(), Map.of(), OutboundTrafficPolicy.ALLOW_ANY,
                Set.of(), List.of());
    }

    private static boolean pushes(PeerAuthenticationResource policy, ProxyScope scope, boolean added) {
        ChangeSet c = changes(policy.key());
        MeshSnapshot with = withPolicies(policy);
        return PushPlanner.decide(c, WEB, scope, WEB, scope, added ? EMPTY : with, added ? with : EMPTY).push();
    }

    @Test
    void meshPeerAuthentication_inTheRootNamespace_pushesEveryProxy() {
        assertThat(pushes(pa("istio-system", "default", Map.of()), scope("a", Optional.empty()), true)).isTrue();
    }

    @Test
    void namespacePeerAuthentication_ofTheProxysNamespace_pushes_forItsInboundChains() {
        assertThat(pushes(pa("a", "ns-wide", Map.of()), scope("a", Optional.empty()), true)).isTrue();
    }

    @Test
    void namespacePeerAuthentication_ofAServiceInTheScope_pushes_forTheClientsAutoMtls() {
        assertThat(pushes(pa("b", "ns-wide", Map.of()), scopeWithServiceIn("a", "b"), false)).isTrue();
    }

    @Test
    void namespacePeerAuthentication_elsewhere_doesNotPush() {
        assertThat(pushes(pa("c", "ns-wide", Map.of()), scopeWithServiceIn("a", "b"), true)).isFalse();
    }

    @Test
    void workloadPeerAuthentication_pushesOnlyTheProxiesItSelects() {
        ProxyScope s = scopeWithServiceIn("a", "a");
        assertThat(pushes(pa("a", "web-only", Map.of("app", "web")), s, true)).isTrue();
        assertThat(pushes(pa("a", "db-only", Map.of("app", "db")), s, true)).isFalse();
    }

    @Test
    void rootNamespacePeerAuthentication_withASelector_appliesToNothing_andDoesNotPush() {
        assertThat(pushes(pa("istio-system", "selective", Map.of("app", "web")), scope("a", Optional.empty()), true))
                .isFalse();
    }

    @Test
    void peerAuthenticationChange_regeneratesTheSharedOutboundPart() {
        assertThat(PushPlanner.scopesNeedRecompute(changes(ConfigKey.of(Kind.PEER_AUTHENTICATION, "a", "pa"))))
                .isTrue();
    }
}
