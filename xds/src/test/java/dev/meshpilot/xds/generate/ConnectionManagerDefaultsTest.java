package dev.meshpilot.xds.generate;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.meshpilot.xds.generate.IstioShapes.hcm;
import static dev.meshpilot.xds.generate.IstioShapes.listener;
import static dev.meshpilot.xds.generate.IstioShapes.unpack;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 5: the connection manager defaults istiod 1.29 sets ({@code ListenerBuilder.buildHTTPConnectionManager},
 * {@code buildSidecarOutboundHTTPListenerOpts}, {@code buildSidecarInboundHTTPOpts}). Mirrors Istio's
 * {@code listener_test.go TestInboundHTTPListenerConfig} and {@code TestOutboundListenerConfig_WithSidecar}.
 */
class ConnectionManagerDefaultsTest {

    private static void assertSharedDefaults(HttpConnectionManager m) {
        assertThat(m.getUpgradeConfigsList()).singleElement()
                .satisfies(u -> assertThat(u.getUpgradeType()).isEqualTo("websocket"));
        assertThat(m.hasStreamIdleTimeout()).isTrue();
        assertThat(m.getStreamIdleTimeout().getSeconds()).isZero();
        assertThat(m.getNormalizePath().getValue()).isTrue();
        assertThat(m.getPathWithEscapedSlashesAction())
                .isEqualTo(HttpConnectionManager.PathWithEscapedSlashesAction.KEEP_UNCHANGED);
        assertThat(m.hasUseRemoteAddress()).isTrue();
        assertThat(m.getUseRemoteAddress().getValue()).isFalse();
        assertThat(unpack(m.getRequestIdExtension().getTypedConfig(), UuidRequestIdConfig.class)
                .getUseRequestIdForTraceSampling().getValue()).isTrue();
        assertThat(m.getProxy100Continue()).isTrue();
        assertThat(m.hasTracing()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = ProxyKind.class, names = {"SIDECAR", "ENVOY"})
    void outboundConnectionManager_hasIstiosDefaults_andEnvoysServerName(ProxyKind kind) {
        HttpConnectionManager m = hcm(listener(IstioShapes.productpage(kind), "0.0.0.0_9080").getFilterChains(0));
        assertSharedDefaults(m);
        assertThat(m.getServerName()).isEmpty();
        assertThat(m.getStatPrefix()).startsWith("outbound_0.0.0.0_9080");
        assertThat(m.getRds().getRouteConfigName()).isEqualTo("9080");
    }

    @ParameterizedTest
    @EnumSource(value = ProxyKind.class, names = {"SIDECAR", "ENVOY"})
    void inboundConnectionManager_namesItselfIstioEnvoy_andForwardsClientCertDetails(ProxyKind kind) {
        FilterChain chain = listener(IstioShapes.reviews(kind), "virtualInbound").getFilterChainsList().stream()
                .filter(c -> c.getName().equals("0.0.0.0_9080")).findFirst().orElseThrow();
        HttpConnectionManager m = hcm(chain);
        assertSharedDefaults(m);
        assertThat(m.getServerName()).isEqualTo("istio-envoy");
        assertThat(m.getForwardClientCertDetails())
                .isEqualTo(HttpConnectionManager.ForwardClientCertDetails.APPEND_FORWARD);
        HttpConnectionManager.SetCurrentClientCertDetails cert = m.getSetCurrentClientCertDetails();
        assertThat(cert.getSubject().getValue()).isTrue();
        assertThat(cert.getUri()).isTrue();
        assertThat(cert.getDns()).isTrue();
        assertThat(cert.getCert()).isFalse();
        assertThat(m.getStatPrefix()).startsWith("inbound_0.0.0.0_9080");
        assertThat(m.getRouteConfig().getName()).isEqualTo("inbound|9080||");
    }
}
