package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.resource.ProxyResources;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.meshpilot.xds.generate.IstioShapes.listener;
import static dev.meshpilot.xds.generate.IstioShapes.names;
import static dev.meshpilot.xds.generate.IstioShapes.unpack;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 items 4 and 6: the outbound HTTP listener and virtualInbound in istiod 1.29's layout, for both Envoy
 * kinds. Mirrors Istio's {@code listener_test.go TestOutboundListenerConfig_TCPFailThrough} and
 * {@code TestListenerTransportSocketConnectTimeoutForSidecar}, {@code listener_builder_test.go
 * TestVirtualInboundHasPassthroughClusters}, {@code TestVirtualInboundListenerBuilder} and
 * {@code TestSidecarInboundListenerFilters}.
 */
class ListenerLayoutTest {

    @ParameterizedTest
    @EnumSource(value = ProxyKind.class, names = {"SIDECAR", "ENVOY"})
    void outboundHttpListener_matchesPlaintextHttp_andPassesTheRestThrough(ProxyKind kind) {
        Listener l = listener(IstioShapes.productpage(kind), "0.0.0.0_9080");
        assertThat(names(l.getListenerFiltersList())).containsExactly("envoy.filters.listener.http_inspector");
        assertThat(l.getContinueOnListenerFiltersTimeout()).isTrue();
        assertThat(l.getListenerFiltersTimeout().getSeconds()).isZero();
        assertThat(l.getFilterChainsCount()).isEqualTo(1);
        FilterChain http = l.getFilterChains(0);
        assertThat(http.getFilterChainMatch().getApplicationProtocolsList()).containsExactly("http/1.1", "h2c");
        assertThat(http.getFilterChainMatch().getTransportProtocol()).isEqualTo("raw_buffer");
        assertThat(http.getTransportSocketConnectTimeout().getSeconds()).isEqualTo(15);
        FilterChain fallthrough = l.getDefaultFilterChain();
        assertThat(fallthrough.getName()).isEqualTo("PassthroughFilterChain");
        TcpProxy proxy = unpack(fallthrough.getFilters(fallthrough.getFiltersCount() - 1).getTypedConfig(),
                TcpProxy.class);
        assertThat(proxy.getCluster()).isEqualTo("PassthroughCluster");
    }

    @Test
    void outboundHttpListenerUnderRegistryOnly_dropsNonHttpTraffic() {
        ProxyResources r = IstioShapes.generate(IstioShapes.bookinfo(OutboundTrafficPolicy.REGISTRY_ONLY),
                "productpage-v1-0", "10.0.0.10", ProxyKind.SIDECAR);
        FilterChain fallthrough = listener(r, "0.0.0.0_9080").getDefaultFilterChain();
        assertThat(names(fallthrough.getFiltersList())).containsExactly("istio.stats",
                "envoy.filters.network.tcp_proxy");
        assertThat(unpack(fallthrough.getFilters(1).getTypedConfig(), TcpProxy.class).getCluster())
                .isEqualTo("BlackHoleCluster");
    }

    private static List<String> chainSummary(Listener l) {
        return l.getFilterChainsList().stream()
                .map(c -> c.getName() + " " + c.getFilterChainMatch().getTransportProtocol() + " "
                        + c.getFilterChainMatch().getApplicationProtocolsList()
                        + (c.getFilterChainMatch().hasDestinationPort()
                        ? " :" + c.getFilterChainMatch().getDestinationPort().getValue() : ""))
                .toList();
    }

    @Test
    void virtualInbound_hasIstiosPassthroughChains_thenPerPortTlsAndPlaintextChains() {
        Listener l = listener(IstioShapes.reviews(ProxyKind.SIDECAR), "virtualInbound");
        assertThat(chainSummary(l)).containsExactly(
                "virtualInbound-blackhole  [] :15006",
                "virtualInbound-catchall-http tls [istio-http/1.0, istio-http/1.1, istio-h2]",
                "virtualInbound-catchall-http raw_buffer [http/1.1, h2c]",
                "virtualInbound tls [istio-peer-exchange, istio]",
                "virtualInbound raw_buffer []",
                "virtualInbound tls []",
                "0.0.0.0_9080 tls [istio, istio-peer-exchange, istio-http/1.0, istio-http/1.1, istio-h2] :9080",
                "0.0.0.0_9080 raw_buffer [] :9080");
        assertThat(l.getFilterChainsList()).extracting(FilterChain::getName).doesNotContain("virtualInbound-catchall-tcp");
        assertThat(l.getContinueOnListenerFiltersTimeout()).isTrue();
        assertThat(l.getMaxConnectionsToAcceptPerSocketEvent().getValue()).isEqualTo(1);
    }

    @Test
    void plainEnvoysVirtualInbound_hasIstiosDisableLayout_plaintextOnly_forItHasNoSdsCertificate() {
        Listener l = listener(IstioShapes.reviews(ProxyKind.ENVOY), "virtualInbound");
        assertThat(chainSummary(l)).containsExactly(
                "virtualInbound-blackhole  [] :15006",
                "virtualInbound-catchall-http raw_buffer [http/1.1, h2c]",
                "virtualInbound raw_buffer []",
                "0.0.0.0_9080 raw_buffer [] :9080");
        assertThat(l.getFilterChainsList()).noneMatch(FilterChain::hasTransportSocket);
    }

    @Test
    void virtualInboundListenerFilters_disableEachInspectorWhereNoChainNeedsIt() {
        Listener l = listener(IstioShapes.reviews(ProxyKind.SIDECAR), "virtualInbound");
        assertThat(names(l.getListenerFiltersList())).containsExactly("envoy.filters.listener.original_dst",
                "envoy.filters.listener.tls_inspector", "envoy.filters.listener.http_inspector");
        ListenerFilter tls = l.getListenerFilters(1);
        // TLS is inspected everywhere but on 15006 (the blackhole chain has no TLS match)
        assertThat(tls.getFilterDisabled().getDestinationPortRange().getStart()).isEqualTo(15006);
        assertThat(tls.getFilterDisabled().getDestinationPortRange().getEnd()).isEqualTo(15007);
        // HTTP is inspected only for the passthrough: off on 9080 (its chains match by transport only) and 15006
        ListenerFilter http = l.getListenerFilters(2);
        assertThat(http.getFilterDisabled().getOrMatch().getRulesList())
                .extracting(r -> r.getDestinationPortRange().getStart()).containsExactly(9080, 15006);
    }

    @Test
    void inboundTlsChains_terminatingIstioMtls_takeTheirTransportSocketFromTheSeam_othersNone() {
        Listener l = listener(IstioShapes.reviews(ProxyKind.SIDECAR), "virtualInbound");
        // PERMISSIVE: the chains matching Istio's ALPNs terminate mTLS; plaintext and other TLS pass through as is
        for (FilterChain chain : l.getFilterChainsList()) {
            boolean istioMtls = chain.getFilterChainMatch().getTransportProtocol().equals("tls")
                    && !chain.getFilterChainMatch().getApplicationProtocolsList().isEmpty();
            assertThat(chain.hasTransportSocket()).as(chain.getName() + " " + chain.getFilterChainMatch())
                    .isEqualTo(istioMtls);
        }
    }
}
