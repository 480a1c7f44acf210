package dev.meshpilot.xds.generate;

import com.google.protobuf.BoolValue;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.naming.ClusterName;
import dev.meshpilot.xds.naming.TrafficDirection;
import dev.meshpilot.xds.naming.XdsNames;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Decorator;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code virtualInbound} on 0.0.0.0:15006 in istiod 1.29's layout ({@code listener_inbound.go}):
 * <ol>
 *   <li>{@code virtualInbound-blackhole}: traffic addressed to 15006 itself (a loop) to {@code BlackHoleCluster};</li>
 *   <li>the passthrough chains for ports no service declares, to {@code InboundPassthroughCluster}: under PERMISSIVE
 *       {@code virtualInbound-catchall-http} ×2 (mTLS with Istio's HTTP ALPNs; plaintext {@code http/1.1}/{@code h2c})
 *       and {@code virtualInbound} ×3 (mTLS with {@code istio-peer-exchange}/{@code istio}; plaintext; other TLS);</li>
 *   <li>per inbound port, chains {@code 0.0.0.0_PORT} matched by destination port and transport protocol (under
 *       PERMISSIVE: HTTP ports an mTLS and a plaintext chain, TCP ports mTLS, other TLS and plaintext), to
 *       {@code inbound|PORT||}.</li>
 * </ol>
 * Which chains a port gets follows its mTLS mode ({@link InboundChainOptions}); TLS chains take their transport socket
 * from {@link InboundTls}. Listener filters are derived from the chains as Istio's {@code populateListenerFilters}
 * does: original_dst, tls_inspector (off on ports without TLS chains) and http_inspector (on only where a chain
 * matches {@code http/1.1}/{@code h2c}: the passthrough). Network filters: on istio-proxy, the TCP metadata exchange
 * first, then {@code istio.stats} on TCP chains; HTTP chains carry their filters in the connection manager
 * ({@link ConnectionManagers}).
 */
final class SidecarInboundListener {

    private final ProxyKind kind;
    private final InboundTls tls;
    private final ConnectionManagers managers;

    SidecarInboundListener(ProxyKind kind, InboundTls tls) {
        this.kind = kind;
        this.tls = tls;
        this.managers = ConnectionManagers.of(kind);
    }

    /**
     * The blackhole chain and the passthrough chains, which depend only on the proxy kind and the workload's mode:
     * built once each (immutable protos), where every proxy used to build and serialize its own copy.
     */
    private static final class FixedChains {
        private static final Map<ProxyKind, Map<InboundTls.Mode, List<FilterChain>>> CHAINS = build();

        private FixedChains() {
        }

        static List<FilterChain> of(ProxyKind kind, InboundTls.Mode mode) {
            return CHAINS.get(kind).get(mode);
        }

        private static Map<ProxyKind, Map<InboundTls.Mode, List<FilterChain>>> build() {
            EnumMap<ProxyKind, Map<InboundTls.Mode, List<FilterChain>>> byKind = new EnumMap<>(ProxyKind.class);
            for (ProxyKind kind : ProxyKind.values()) {
                EnumMap<InboundTls.Mode, List<FilterChain>> byMode = new EnumMap<>(InboundTls.Mode.class);
                for (InboundTls.Mode mode : InboundTls.Mode.values()) {
                    SidecarInboundListener listener = new SidecarInboundListener(kind, InboundTls.workloadMode(mode));
                    List<FilterChain> chains = new ArrayList<>();
                    chains.add(listener.blackhole());
                    chains.addAll(listener.passthroughChains());
                    byMode.put(mode, List.copyOf(chains));
                }
                byKind.put(kind, Collections.unmodifiableMap(byMode));
            }
            return Collections.unmodifiableMap(byKind);
        }
    }

    XdsResource listener(List<InboundPorts.InboundPort> ports) {
        List<FilterChain> chains = new ArrayList<>(FixedChains.of(kind, tls.mode(0)));
        for (InboundPorts.InboundPort port : ports) {
            if (port.port() == XdsNames.VIRTUAL_INBOUND_PORT) {
                continue; // already matched by the blackhole chain; a second match would be rejected
            }
            chains.addAll(portChains(port));
        }
        Listener listener = Listener.newBuilder()
                .setName(XdsNames.VIRTUAL_INBOUND_LISTENER)
                .setAddress(Protos.socketAddress("0.0.0.0", XdsNames.VIRTUAL_INBOUND_PORT))
                .setTrafficDirection(io.envoyproxy.envoy.config.core.v3.TrafficDirection.INBOUND)
                .setContinueOnListenerFiltersTimeout(true)
                .setMaxConnectionsToAcceptPerSocketEvent(Protos.uint32(1))
                .addAllListenerFilters(ListenerInspectors.forVirtualInbound(chains))
                .setListenerFiltersTimeout(Protos.seconds(0))
                .addAllFilterChains(chains)
                .build();
        return XdsResource.listener(listener, "sidecar-inbound: " + ports.size() + " inbound port(s)");
    }

    private FilterChain blackhole() {
        return FilterChain.newBuilder()
                .setName(XdsNames.VIRTUAL_INBOUND_BLACKHOLE_CHAIN)
                .setFilterChainMatch(FilterChainMatch.newBuilder()
                        .setDestinationPort(Protos.uint32(XdsNames.VIRTUAL_INBOUND_PORT)))
                .addAllFilters(tcpFilters(XdsNames.BLACK_HOLE_CLUSTER))
                .build();
    }

    private List<FilterChain> passthroughChains() {
        List<FilterChain> out = new ArrayList<>();
        for (InboundChainOptions option : InboundChainOptions.of(tls.mode(0), InboundChainOptions.Carried.AUTO)) {
            FilterChain.Builder chain = FilterChain.newBuilder().setFilterChainMatch(match(0, option));
            if (option.http()) {
                chain.setName(XdsNames.VIRTUAL_INBOUND_CATCHALL_HTTP_CHAIN)
                        // istiod: the passthrough connection manager's stat prefix is the delimited cluster name
                        .addAllFilters(httpFilters(XdsNames.delimitedStatName(XdsNames.INBOUND_PASSTHROUGH_CLUSTER), routes(
                                XdsNames.INBOUND_PASSTHROUGH_CLUSTER, XdsNames.INBOUND_PASSTHROUGH_VIRTUAL_HOST,
                                XdsNames.INBOUND_PASSTHROUGH_CLUSTER, ":0/*", Protocol.TCP), Protocol.TCP));
            } else {
                chain.setName(XdsNames.VIRTUAL_INBOUND_PASSTHROUGH_CHAIN)
                        .addAllFilters(tcpFilters(XdsNames.INBOUND_PASSTHROUGH_CLUSTER));
            }
            if (option.terminatesTls()) {
                tls.transportSocket(0, option.http()).ifPresent(chain::setTransportSocket);
            }
            out.add(chain.build());
        }
        return out;
    }

    private List<FilterChain> portChains(InboundPorts.InboundPort port) {
        String cluster = ClusterName.inbound(port.port()).value();
        String chainName = XdsNames.inboundFilterChain(port.port());
        InboundChainOptions.Carried carried = port.protocol().isHttp()
                ? InboundChainOptions.Carried.HTTP : InboundChainOptions.Carried.TCP;
        List<FilterChain> out = new ArrayList<>();
        for (InboundChainOptions option : InboundChainOptions.of(tls.mode(port.port()), carried)) {
            FilterChain.Builder chain = FilterChain.newBuilder()
                    .setName(chainName)
                    .setFilterChainMatch(match(port.port(), option));
            if (option.http()) {
                int servicePort = servicePort(port);
                chain.addAllFilters(httpFilters(XdsNames.statPrefix(TrafficDirection.INBOUND, chainName),
                        routes(XdsNames.inboundRouteConfig(port.port()), XdsNames.inboundVirtualHost(servicePort),
                                cluster, operation(port, servicePort), port.protocol()), port.protocol()));
            } else {
                chain.addAllFilters(tcpFilters(cluster));
            }
            if (option.terminatesTls()) {
                tls.transportSocket(port.port(), option.http()).ifPresent(chain::setTransportSocket);
            }
            out.add(chain.build());
        }
        return out;
    }

    private static FilterChainMatch match(int port, InboundChainOptions option) {
        FilterChainMatch.Builder match = FilterChainMatch.newBuilder()
                .setTransportProtocol(option.transportProtocol())
                .addAllApplicationProtocols(option.alpns());
        if (port > 0) {
            match.setDestinationPort(Protos.uint32(port));
        }
        return match.build();
    }

    /** [metadata exchange*, istio.stats*, tcp_proxy] (* istio-proxy). */
    private List<Filter> tcpFilters(String cluster) {
        List<Filter> out = new ArrayList<>();
        if (kind.hasIstioExtensions()) {
            out.add(IstioFilters.networkMetadataExchange());
            out.add(IstioFilters.networkStats(true));
        }
        out.add(Filters.tcpProxy(cluster, cluster));
        return out;
    }

    /** [metadata exchange*, http_connection_manager] (* istio-proxy). */
    private List<Filter> httpFilters(String statPrefix, RouteConfiguration routes, Protocol protocol) {
        List<Filter> out = new ArrayList<>();
        if (kind.hasIstioExtensions()) {
            out.add(IstioFilters.networkMetadataExchange());
        }
        out.add(Filters.network(managers.inbound(statPrefix, routes, protocol)));
        return out;
    }

    /**
     * The inline route configuration of an inbound HTTP chain: Istio's {@code BuildDefaultHTTPInboundRoute}, a
     * {@code default} route with the tracing decorator, no timeout, no max stream duration (gRPC's timeout header
     * ignored), and two {@code reset-before-request} retries unless the port is gRPC.
     */
    private static RouteConfiguration routes(String name, String virtualHost, String cluster, String operation,
                                             Protocol protocol) {
        RouteAction.Builder action = RouteAction.newBuilder().setCluster(cluster)
                .setTimeout(Protos.seconds(0))
                .setMaxStreamDuration(RouteAction.MaxStreamDuration.newBuilder()
                        .setMaxStreamDuration(Protos.seconds(0))
                        .setGrpcTimeoutHeaderMax(Protos.seconds(0)));
        if (protocol != Protocol.GRPC && protocol != Protocol.GRPC_WEB) {
            action.setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("reset-before-request")
                    .setNumRetries(Protos.uint32(2)));
        }
        return RouteConfiguration.newBuilder()
                .setName(name)
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName(virtualHost)
                        .addDomains("*")
                        .addRoutes(Route.newBuilder()
                                .setName(XdsNames.DEFAULT_ROUTE)
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setDecorator(Decorator.newBuilder().setOperation(operation))
                                .setRoute(action)))
                .setValidateClusters(BoolValue.of(false))
                .build();
    }

    /** The service port behind a target port (Istio names the inbound virtual host after it); the target port when none. */
    private static int servicePort(InboundPorts.InboundPort port) {
        for (MeshService service : port.services()) {
            for (ServicePort p : service.ports()) {
                if ((p.targetPort() > 0 ? p.targetPort() : p.port()) == port.port()) {
                    return p.port();
                }
            }
        }
        return port.port();
    }

    /** Istio's trace operation {@code HOST:PORT/*} of the first service on the port (empty host for Sidecar ingress). */
    private static String operation(InboundPorts.InboundPort port, int servicePort) {
        String host = port.services().isEmpty() ? "" : port.services().get(0).hostname();
        return host + ":" + servicePort + "/*";
    }
}
