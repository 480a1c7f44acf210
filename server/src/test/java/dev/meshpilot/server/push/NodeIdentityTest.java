package dev.meshpilot.server.push;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import io.envoyproxy.envoy.config.core.v3.Node;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy kind an xDS node asks for: istio-proxy (ISTIO_VERSION), upstream Envoy, or proxyless gRPC. */
class NodeIdentityTest {

    private static final MeshSnapshot EMPTY = MeshSnapshot.empty(MeshConfig.DEFAULT);
    private static final String ID = "sidecar~10.1.2.3~reviews-v1-0.default~default.svc.cluster.local";

    private static Node node(String userAgent, String... metadata) {
        Struct.Builder meta = Struct.newBuilder();
        for (int i = 0; i < metadata.length; i += 2) {
            meta.putFields(metadata[i], Value.newBuilder().setStringValue(metadata[i + 1]).build());
        }
        return Node.newBuilder().setId(ID).setUserAgentName(userAgent).setMetadata(meta).build();
    }

    @Test
    void envoyNodeWithIstioVersionMetadata_isIstioProxySidecar() {
        Node node = node("envoy", "ISTIO_VERSION", "1.29.0", "NAMESPACE", "default");
        assertThat(NodeIdentity.of(node, EMPTY).kind()).isEqualTo(ProxyKind.SIDECAR);
        assertThat(NodeIdentity.istioVersion(node)).isEqualTo("1.29.0");
    }

    @Test
    void envoyNodeWithoutIstioVersion_isPlainEnvoy() {
        assertThat(NodeIdentity.of(node("envoy", "NAMESPACE", "default"), EMPTY).kind()).isEqualTo(ProxyKind.ENVOY);
    }

    @Test
    void nodeWithoutUserAgentOrIstioVersion_isPlainEnvoy() {
        assertThat(NodeIdentity.of(node(""), EMPTY).kind()).isEqualTo(ProxyKind.ENVOY);
    }

    @Test
    void grpcNodeWithIstioVersion_isProxylessGrpc() {
        Node node = node("gRPC Java", "ISTIO_VERSION", "1.29.0", "GENERATOR", "grpc");
        assertThat(NodeIdentity.of(node, EMPTY).kind()).isEqualTo(ProxyKind.PROXYLESS_GRPC);
    }

    @Test
    void generatorGrpcMetadata_isProxylessGrpcWhateverTheUserAgent() {
        assertThat(NodeIdentity.of(node("", "GENERATOR", "grpc"), EMPTY).kind()).isEqualTo(ProxyKind.PROXYLESS_GRPC);
    }
}
