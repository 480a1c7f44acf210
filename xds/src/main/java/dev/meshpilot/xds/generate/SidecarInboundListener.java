package dev.meshpilot.xds.generate;

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

/**
 * {@code virtualInbound} on 0.0.0.0:15006 (issue 3 item 1): one filter chain per inbound port of the workload
 * (matched by destination port) to its {@code inbound|PORT||} cluster — an HTTP connection manager with inline
 * routes for HTTP-family ports, tcp_proxy otherwise — plus a chain dropping traffic addressed to 15006 itself and
 * the catch-all chain to {@code InboundPassthroughCluster}.
 */
final class SidecarInboundListener {

    private SidecarInboundListener() {
    }

    static XdsResource of(List<InboundPorts.InboundPort> ports, String proxyId) {
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
        for (InboundPorts.InboundPort port : ports) {
            if (port.port() == XdsNames.VIRTUAL_INBOUND_PORT) {
                continue; // already matched by the blackhole chain; a second match would be rejected
            }
            String cluster = ClusterName.inbound(port.port()).value();
            String chainName = XdsNames.inboundFilterChain(port.port());
            FilterChain.Builder chain = FilterChain.newBuilder()
                    .setName(chainName)
                    .setFilterChainMatch(FilterChainMatch.newBuilder().setDestinationPort(Protos.uint32(port.port())));
            if (port.protocol().isHttp()) {
                RouteConfiguration routes = RouteConfiguration.newBuilder()
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
                chain.addFilters(Filters.network(Filters.inlineManager(
                        XdsNames.statPrefix(TrafficDirection.INBOUND, chainName), routes)));
            } else {
                chain.addFilters(Filters.tcpProxy(cluster, cluster));
            }
            listener.addFilterChains(chain);
        }
        listener.addFilterChains(FilterChain.newBuilder()
                .setName(XdsNames.VIRTUAL_INBOUND_PASSTHROUGH_CHAIN)
                .addFilters(Filters.tcpProxy(XdsNames.INBOUND_PASSTHROUGH_CLUSTER, XdsNames.INBOUND_PASSTHROUGH_CLUSTER)));
        return XdsResource.listener(listener.build(), "sidecar-inbound: " + ports.size() + " inbound port(s) of "
                + proxyId);
    }
}
