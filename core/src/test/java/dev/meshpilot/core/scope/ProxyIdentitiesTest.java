package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** R1: proxy identity from an Istio node id, metadata and user agent. */
class ProxyIdentitiesTest {

    private static final MeshSnapshot EMPTY = MeshSnapshot.empty(MeshConfig.DEFAULT);

    private static MeshSnapshot withPod(String name, String ns, Map<String, String> labels) {
        WorkloadInstance pod = new WorkloadInstance(new ObjectMeta(ns, name, Instant.EPOCH, labels, Map.of()),
                "10.9.9.9", "sa", "Deployment", "reviews", null, false);
        return new MeshSnapshot(1, MeshConfig.DEFAULT, List.of(), List.of(), List.of(), List.of(pod), List.of(),
                List.of(), List.of(), List.of());
    }

    @Test
    void istioProxyNode_givesSidecarWithNamespaceFromMetadata() {
        ProxyIdentity p = ProxyIdentities.fromNode("sidecar~10.1.2.3~reviews-v1-abc.default~default.svc.cluster.local",
                Map.of("NAMESPACE", "default", "ISTIO_VERSION", "1.29.0"), Map.of("app", "reviews"), "envoy", EMPTY);
        assertThat(p.podName()).isEqualTo("reviews-v1-abc");
        assertThat(p.namespace()).isEqualTo("default");
        assertThat(p.ip()).isEqualTo("10.1.2.3");
        assertThat(p.labels()).containsEntry("app", "reviews");
        assertThat(p.kind()).isEqualTo(ProxyKind.SIDECAR);
        assertThat(p.proxyId()).isEqualTo("reviews-v1-abc.default");
    }

    @Test
    void envoyNodeWithoutIstioVersion_isPlainEnvoy() {
        ProxyIdentity p = ProxyIdentities.fromNode("sidecar~10.1.2.3~reviews-v1-abc.default~default.svc.cluster.local",
                Map.of("NAMESPACE", "default"), Map.of(), "envoy", EMPTY);
        assertThat(p.kind()).isEqualTo(ProxyKind.ENVOY);
        assertThat(p.kind().isEnvoy()).isTrue();
        assertThat(p.kind().hasIstioExtensions()).isFalse();
    }

    @Test
    void blankIstioVersion_isPlainEnvoy() {
        assertThat(ProxyIdentities.kindOf(Map.of("ISTIO_VERSION", " "), "envoy")).isEqualTo(ProxyKind.ENVOY);
    }

    @Test
    void istioVersionWithoutUserAgent_isSidecar() {
        assertThat(ProxyIdentities.kindOf(Map.of("ISTIO_VERSION", "1.29.1"), "")).isEqualTo(ProxyKind.SIDECAR);
    }

    @Test
    void grpcUserAgentWithIstioVersion_staysProxylessGrpc() {
        // Istio's gRPC bootstrap sets ISTIO_VERSION too; the gRPC user agent decides
        assertThat(ProxyIdentities.kindOf(Map.of("ISTIO_VERSION", "1.29.0"), "gRPC Java"))
                .isEqualTo(ProxyKind.PROXYLESS_GRPC);
        assertThat(ProxyKind.PROXYLESS_GRPC.isEnvoy()).isFalse();
    }

    @Test
    void namespaceWithoutMetadata_isTheFirstLabelOfTheDnsDomain() {
        ProxyIdentity p = ProxyIdentities.fromNode("sidecar~10.1.2.3~pod.shop~shop.svc.cluster.local", Map.of(),
                Map.of(), "envoy", EMPTY);
        assertThat(p.namespace()).isEqualTo("shop");
        assertThat(p.podName()).isEqualTo("pod");
    }

    @Test
    void metadataNamespace_winsOverTheDnsDomain() {
        ProxyIdentity p = ProxyIdentities.fromNode("sidecar~10.1.2.3~pod.x~other.svc.cluster.local",
                Map.of("NAMESPACE", "x"), Map.of(), "envoy", EMPTY);
        assertThat(p.namespace()).isEqualTo("x");
    }

    @Test
    void grpcUserAgent_isProxylessGrpc() {
        ProxyIdentity p = ProxyIdentities.fromNode("sidecar~10.1.2.3~c.ns~ns.svc.cluster.local", Map.of(), Map.of(),
                "gRPC Java", EMPTY);
        assertThat(p.kind()).isEqualTo(ProxyKind.PROXYLESS_GRPC);
    }

    @Test
    void generatorGrpcMetadata_isProxylessGrpc() {
        ProxyIdentity p = ProxyIdentities.fromNode("sidecar~10.1.2.3~c.ns~ns.svc.cluster.local",
                Map.of("GENERATOR", "grpc"), Map.of(), "", EMPTY);
        assertThat(p.kind()).isEqualTo(ProxyKind.PROXYLESS_GRPC);
    }

    @Test
    void knownPod_registryLabelsReplaceDeclaredLabels() {
        // As istiod: a node may not add labels to a pod the registry knows (app=admin-tool would select a Sidecar).
        ProxyIdentity p = ProxyIdentities.fromNode("sidecar~10.1.2.3~reviews-0.default~default.svc.cluster.local",
                Map.of(), Map.of("app", "stale", "extra", "declared"),
                "envoy", withPod("reviews-0", "default", Map.of("app", "reviews", "version", "v1")));
        assertThat(p.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("app", "reviews", "version", "v1"));
    }

    @Test
    void unknownPod_usesNodeLabels() {
        ProxyIdentity p = ProxyIdentities.fromNode("sidecar~10.1.2.3~ghost.default~default.svc.cluster.local",
                Map.of(), Map.of("app", "ghost"), "envoy", withPod("reviews-0", "default", Map.of("app", "reviews")));
        assertThat(p.labels()).containsExactlyEntriesOf(Map.of("app", "ghost"));
    }

    @Test
    void nameMetadata_namesThePod() {
        ProxyIdentity p = ProxyIdentities.fromNode("sidecar~10.1.2.3~x.default~default.svc.cluster.local",
                Map.of("NAME", "real-name"), Map.of(), "envoy", EMPTY);
        assertThat(p.podName()).isEqualTo("real-name");
    }

    @Test
    void nodeIdWithThreeParts_isRejectedWithAClearMessage() {
        assertThatThrownBy(() -> ProxyIdentities.fromNode("sidecar~10.1.2.3~pod.ns", Map.of(), Map.of(), "envoy", EMPTY))
                .isInstanceOf(InvalidProxyIdentityException.class)
                .hasMessageContaining("has 3 '~'-separated parts; expected 4");
    }

    @Test
    void unknownNodeType_isRejected() {
        assertThatThrownBy(() -> ProxyIdentities.fromNode("proxy~10.1.2.3~pod.ns~ns.svc.cluster.local", Map.of(),
                Map.of(), "envoy", EMPTY))
                .isInstanceOf(InvalidProxyIdentityException.class).hasMessageContaining("valid types are sidecar");
    }

    @Test
    void gatewayNode_isRejectedAsUnsupported() {
        assertThatThrownBy(() -> ProxyIdentities.fromNode("router~10.1.2.3~gw.ns~ns.svc.cluster.local", Map.of(),
                Map.of(), "envoy", EMPTY))
                .isInstanceOf(InvalidProxyIdentityException.class).hasMessageContaining("not supported");
    }

    @Test
    void emptyNodeId_isRejected() {
        assertThatThrownBy(() -> ProxyIdentities.fromNode("", Map.of(), Map.of(), "envoy", EMPTY))
                .isInstanceOf(InvalidProxyIdentityException.class).hasMessageContaining("node id is empty");
    }

    @Test
    void fromWorkload_usesThePodsNamespaceLabelsAndIp() {
        WorkloadInstance pod = new WorkloadInstance(new ObjectMeta("shop", "cart-0", Instant.EPOCH,
                Map.of("app", "cart"), Map.of()), "10.0.0.7", "", "", "", null, true);
        ProxyIdentity p = ProxyIdentities.fromWorkload(pod);
        assertThat(p.proxyId()).isEqualTo("cart-0.shop");
        assertThat(p.labels()).containsEntry("app", "cart");
        assertThat(p.ip()).isEqualTo("10.0.0.7");
    }

    @Test
    void asInjected_followsIstiosInjectionAnnotations() {
        assertThat(injected(Map.of(), Map.of())).map(ProxyIdentity::kind).contains(ProxyKind.SIDECAR);
        assertThat(injected(Map.of(), Map.of("inject.istio.io/templates", "grpc-agent")))
                .map(ProxyIdentity::kind).contains(ProxyKind.PROXYLESS_GRPC);
        assertThat(injected(Map.of(), Map.of("inject.istio.io/templates", "sidecar, grpc-simple")))
                .map(ProxyIdentity::kind).contains(ProxyKind.PROXYLESS_GRPC);
        assertThat(injected(Map.of(), Map.of("inject.istio.io/templates", "sidecar")))
                .map(ProxyIdentity::kind).contains(ProxyKind.SIDECAR);
        assertThat(injected(Map.of("sidecar.istio.io/inject", "false"), Map.of())).isEmpty();
        assertThat(injected(Map.of(), Map.of("sidecar.istio.io/inject", "False"))).isEmpty();
        assertThat(injected(Map.of("sidecar.istio.io/inject", "true"), Map.of())).map(ProxyIdentity::kind)
                .contains(ProxyKind.SIDECAR);
    }

    @Test
    void asInjected_keepsThePodsNameNamespaceLabelsAndIp() {
        ProxyIdentity p = injected(Map.of("app", "echo"), Map.of("inject.istio.io/templates", "grpc-agent"))
                .orElseThrow();
        assertThat(p.podName()).isEqualTo("echo-0");
        assertThat(p.namespace()).isEqualTo("grpc");
        assertThat(p.labels()).containsEntry("app", "echo");
        assertThat(p.ip()).isEqualTo("10.9.9.9");
    }

    private static java.util.Optional<ProxyIdentity> injected(Map<String, String> labels,
                                                             Map<String, String> annotations) {
        WorkloadInstance pod = new WorkloadInstance(new ObjectMeta("grpc", "echo-0", Instant.EPOCH, labels,
                annotations), "10.9.9.9", "sa", "Deployment", "echo", null, false);
        return ProxyIdentities.asInjected(pod);
    }
}
