package dev.meshpilot.xds.generate;

import dev.meshpilot.core.authn.EffectivePeerAuthentication;
import java.util.Optional;

import dev.meshpilot.xds.naming.ClusterName;
import dev.meshpilot.xds.naming.TrafficDirection;
import dev.meshpilot.xds.naming.XdsNames;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.util.List;
import java.util.Optional;

/**
 * {@code virtualInbound} on 0.0.0.0:15006 (issue 3 item 1): one filter chain per inbound port of the workload
 * (matched by destination port) to its {@code inbound|PORT||} cluster — an HTTP connection manager with inline
 * routes for HTTP-family ports, tcp_proxy otherwise — plus a chain dropping traffic addressed to 15006 itself and
 * the catch-all chain to {@code InboundPassthroughCluster}.
 */
final class SidecarInboundListener {

    private SidecarInboundListener() {
    }

    /**
     * The listener; {@code peerAuthentication} present (istio-proxy) gives each port its TLS and plaintext chains by
     * the port's effective mode ({@link InboundTls}), absent (plain Envoy) one chain per port without TLS.
     */
    static XdsResource of(List<InboundPorts.InboundPort> ports, String proxyId,
                          Optional<EffectivePeerAuthentication> peerAuthentication) {
        Listener.Builder listener = Listener.newBuilder()
                .setName(XdsNames.VIRTUAL_INBOUND_LISTENER)
                .setAddress(Protos.socketAddress("0.0.0.0", XdsNames.VIRTUAL_INBOUND_PORT))
                .setTrafficDirection(io.envoyproxy.envoy.config.core.v3.TrafficDirection.INBOUND)
                .addListenerFilters(Filters.originalDst())
                .addFilterChains(FilterChain.newBuilder()
                        .setName(XdsNames.VIRTUAL_INBOUND_BLACKHOLE_CHAIN)
                        .setFilterChainMatch(FilterChainMatch.newBuilder()
                                .setDestinationPort(Protos.uint32(XdsNames.VIRTUAL_INBOUND_PORT)))
                        .addFilters(Filters.tcpProxy(XdsNames.BLACK_HOLE_CLUSTER, XdsNames.BLACK_HOLE_CLUSTER)));
        boolean tlsInspector = false;
        for (InboundPorts.InboundPort port : ports) {
            if (port.port() == XdsNames.VIRTUAL_INBOUND_PORT) {
                continue; // already matched by the blackhole chain; a second match would be rejected
            }
            String cluster = ClusterName.inbound(port.port()).value();
            String chainName = XdsNames.inboundFilterChain(port.port());
            List<InboundTls.ChainOption> options = peerAuthentication
                    .map(pa -> InboundTls.chains(pa.modeFor(port.port()), port.protocol().isHttp()))
                    .orElseGet(InboundTls::withoutMtls);
            tlsInspector |= InboundTls.needsTlsInspector(options);
            for (InboundTls.ChainOption option : options) {
                FilterChain.Builder chain = FilterChain.newBuilder()
                        .setName(chainName)
                        .setFilterChainMatch(option.addTo(FilterChainMatch.newBuilder()
                                .setDestinationPort(Protos.uint32(port.port()))));
                option.transportSocket().ifPresent(chain::setTransportSocket);
                if (port.protocol().isHttp()) {
                    chain.addFilters(Filters.network(Filters.inlineManager(
                            XdsNames.statPrefix(TrafficDirection.INBOUND, chainName), inboundRoutes(port, cluster))));
                } else {
                    chain.addFilters(Filters.tcpProxy(cluster, cluster));
                }
                listener.addFilterChains(chain);
            }
        }
        if (tlsInspector) {
            listener.addListenerFilters(InboundTls.tlsInspector());
        }
        listener.addFilterChains(FilterChain.newBuilder()
                .setName(XdsNames.VIRTUAL_INBOUND_PASSTHROUGH_CHAIN)
                .addFilters(Filters.tcpProxy(XdsNames.INBOUND_PASSTHROUGH_CLUSTER, XdsNames.INBOUND_PASSTHROUGH_CLUSTER)));
        return XdsResource.listener(listener.build(), "sidecar-inbound: " + ports.size() + " inbound port(s) of "
                + proxyId);
    }

    private static RouteConfiguration inboundRoutes(InboundPorts.InboundPort port, String cluster) {
        return RouteConfiguration.newBuilder()
                .setName(XdsNames.inboundRouteConfig(port.port()))
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName(XdsNames.inboundVirtualHost(port.port()))
                        .addDomains("*")
                        .addRoutes(Route.newBuilder()
                                .setName(XdsNames.DEFAULT_ROUTE)
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setRoute(RouteAction.newBuilder().setCluster(cluster)
                                        .setTimeout(Protos.seconds(0)))))
                .setValidateClusters(com.google.protobuf.BoolValue.of(false))
                .build();
    }
}
