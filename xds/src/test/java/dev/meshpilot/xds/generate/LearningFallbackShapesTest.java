package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.xds.naming.XdsNames;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.simulate.TrafficSimulation;
import dev.meshpilot.xds.simulate.TrafficSimulation.Outcome;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Fallback paths the example meshes do not exercise: listeners that would otherwise take a left-out service's port. */
class LearningFallbackShapesTest {

    private static final String WEB_VIP = "10.96.1.1";
    private static final String LEGACY_VIP = "10.96.1.2";
    private static final String DB_POD = "10.0.5.1";

    /** web (HTTP 80) learned; legacy (TCP 80, VIP) and db (headless TCP 5432, one pod) left out. */
    private static ProxyResources generate(OutboundTrafficPolicy policy) {
        TestMesh mesh = new TestMesh();
        mesh.policy = policy;
        mesh.service("web", "default", WEB_VIP, Map.of("app", "web"), TestMesh.http(80));
        mesh.service("legacy", "default", LEGACY_VIP, Map.of("app", "legacy"),
                TestMesh.port("tcp", 80, 80, Protocol.TCP));
        mesh.service("db", "default", null, Map.of("app", "db"), TestMesh.port("tcp-pg", 5432, 5432, Protocol.TCP));
        mesh.pod("client-0", "default", "10.0.0.1", Map.of("app", "client"));
        mesh.pod("db-0", "default", DB_POD, Map.of("app", "db"));
        MeshSnapshot snapshot = mesh.snapshot();
        ProxyScope full = mesh.scope("default");
        ProxyScope learned = new ProxyScope(full.key(), full.name(), full.proxyNamespace(), full.sidecar(),
                List.of(new ProxyScope.EgressScope(full.egressListeners().get(0).listener(),
                        List.of(mesh.services.get(0)), List.of())),
                List.of(mesh.services.get(0)), List.of(), Map.of(), policy, full.dependencies())
                .withFallbackServices(mesh.services.subList(1, 3));
        return new ProxyConfigGenerator(GeneratorOptions.learning()).generate(snapshot,
                TestMesh.sidecar("client-0", "default", "10.0.0.1", Map.of("app", "client")), learned);
    }

    @ParameterizedTest
    @EnumSource(OutboundTrafficPolicy.class)
    void leftOutTcpServiceOnAnHttpListenersPort_passesThroughAChainOfThatListener(OutboundTrafficPolicy policy) {
        TrafficSimulation sim = new TrafficSimulation(generate(policy));
        Outcome legacy = sim.tcp(LEGACY_VIP, 80);
        assertThat(legacy.listener()).isEqualTo("0.0.0.0_80");
        assertThat(legacy.filterChain()).isEqualTo(XdsNames.learningFallbackChain(80));
        assertThat(legacy.cluster()).isEqualTo(XdsNames.PASSTHROUGH_CLUSTER);
        assertThat(sim.http(WEB_VIP, 80, "web", "/").cluster()).isEqualTo("outbound|80||web.default.svc.cluster.local");
    }

    @Test
    void httpListenersFallbackChain_namesNoPort_soItsOwnChainStillTakesOtherAddresses() {
        Listener http = (Listener) generate(OutboundTrafficPolicy.REGISTRY_ONLY).listeners().get("0.0.0.0_80")
                .orElseThrow().proto();
        assertThat(http.getFilterChainsList()).extracting(FilterChain::getName)
                .containsExactly(XdsNames.learningFallbackChain(80), "");
        assertThat(http.getFilterChains(0).getFilterChainMatch().hasDestinationPort()).isFalse();
    }

    @Test
    void headlessLeftOutService_isMatchedByItsEndpointAddresses() {
        TrafficSimulation sim = new TrafficSimulation(generate(OutboundTrafficPolicy.REGISTRY_ONLY));
        assertThat(sim.tcp(DB_POD, 5432).cluster()).isEqualTo(XdsNames.PASSTHROUGH_CLUSTER);
        assertThat(sim.tcp("10.0.5.2", 5432).cluster()).isEqualTo(XdsNames.BLACK_HOLE_CLUSTER);
    }

    @Test
    void headlessLeftOutService_makesAnEndpointRefreshRegenerateListeners() {
        TestMesh mesh = new TestMesh();
        mesh.service("db", "default", null, Map.of("app", "db"), TestMesh.port("tcp-pg", 5432, 5432, Protocol.TCP));
        ProxyScope withHeadless = mesh.scope("default").withFallbackServices(mesh.services);
        assertThat(LearningFallback.dependsOnEndpoints(withHeadless)).isTrue();
        TestMesh vip = new TestMesh();
        vip.service("db", "default", "10.96.9.9", Map.of("app", "db"), TestMesh.port("tcp-pg", 5432, 5432, Protocol.TCP));
        assertThat(LearningFallback.dependsOnEndpoints(vip.scope("default").withFallbackServices(vip.services))).isFalse();
    }

    @Test
    void withoutFallbackServices_noFallbackShapesAreGenerated() {
        TestMesh mesh = TestMesh.bookinfo();
        mesh.policy = OutboundTrafficPolicy.REGISTRY_ONLY;
        ProxyResources r = new ProxyConfigGenerator(GeneratorOptions.learning()).generate(mesh.snapshot(),
                TestMesh.sidecar("productpage-v1-0", "default", "10.0.0.10", Map.of("app", "productpage")),
                mesh.scope("default"));
        Listener outbound = (Listener) r.listeners().get(XdsNames.VIRTUAL_OUTBOUND_LISTENER).orElseThrow().proto();
        assertThat(outbound.hasDefaultFilterChain()).isFalse();
        assertThat(outbound.getFilterChainsList()).extracting(FilterChain::getName).containsExactly(
                XdsNames.VIRTUAL_OUTBOUND_BLACKHOLE_CHAIN, XdsNames.VIRTUAL_OUTBOUND_CATCHALL_CHAIN);
    }
}
