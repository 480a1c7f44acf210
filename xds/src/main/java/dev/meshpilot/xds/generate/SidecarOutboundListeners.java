package dev.meshpilot.xds.generate;

import com.google.protobuf.BoolValue;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.xds.naming.ClusterName;
import dev.meshpilot.xds.naming.XdsNames;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A sidecar's outbound listeners and route configurations (issue 3 item 1, R31, R38): {@code virtualOutbound} on
 * 15001 with its catch-all per outbound policy; per HTTP-family port a shared {@code 0.0.0.0_PORT} listener using
 * RDS {@code PORT}, whose route configuration has a virtual host per service on that port and a catch-all
 * ({@code allow_any} or {@code block_all}); per TCP-family service port a {@code VIP_PORT} listener proxying to
 * the service's cluster (every load-balanced Kubernetes Service has a ClusterIP, made up by the registry when a
 * manifest lacks one), or, for a service truly without an address (a headless Service, a ServiceEntry without
 * {@code addresses}), a {@code 0.0.0.0_PORT} one when it is the only address-less TCP service on that port and
 * no HTTP listener holds it. When several address-less services share a
 * TCP port, none gets a listener: a wildcard listener would send every connection on the port to one of them
 * (Istio's first-wins rule), whereas leaving it to virtualOutbound forwards each connection to its original
 * destination (ALLOW_ANY). Egress listeners bound to a port claim that port; the port-less listener takes the
 * remaining ports.
 */
final class SidecarOutboundListeners {

    /** istiod's {@code defaultGatewayTransportSocketConnectTimeout}, set on every outbound listener's chains. */
    static final int TRANSPORT_SOCKET_CONNECT_TIMEOUT_SECONDS = 15;

    private final ProxyScope scope;
    private final Set<String> clusters;
    private final HttpRoutes routes;
    private final String domainSuffix;
    private final AccessLogs accessLogs;
    private final Map<Integer, List<Binding>> http;
    private final List<TcpListener> tcp;
    private final LearningFallback fallback;
    private final ProxyKind kind;
    private final ConnectionManagers managers;

    SidecarOutboundListeners(MeshSnapshot snapshot, ProxyScope scope, Set<String> clusters, GeneratorOptions options,
                             ProxyKind kind) {
        this.scope = scope;
        this.kind = kind;
        this.managers = ConnectionManagers.of(kind);
        this.clusters = clusters;
        this.domainSuffix = snapshot.meshConfig().domainSuffix();
        this.accessLogs = new AccessLogs(options);
        this.routes = new HttpRoutes(RouteStyle.SIDECAR, clusters, scope.services(), scope.proxyNamespace(), domainSuffix);
        List<Binding> bindings = bindings(); // computed once: a 10k-service scope has ~13k bindings
        this.http = httpBindings(bindings);
        this.tcp = tcpListeners(tcpBindings(bindings));
        Set<Integer> tcpWildcardPorts = new TreeSet<>();
        tcp.stream().filter(t -> !t.hasAddress()).forEach(t -> tcpWildcardPorts.add(t.binding().port().port()));
        this.fallback = new LearningFallback(snapshot, scope, http.keySet(), tcpWildcardPorts);
    }

    /** A service port reached through one egress listener, with the VirtualServices of that listener. */
    private record Binding(MeshService service, ServicePort port, List<VirtualServiceResource> virtualServices) {
    }

    /** A TCP listener to generate: {@code VIP_PORT}, or {@code 0.0.0.0_PORT} for an address-less service. */
    private record TcpListener(Binding binding, String name, String address, String cluster) {
        boolean hasAddress() {
            return !address.equals("0.0.0.0");
        }
    }

    List<XdsResource> listeners() {
        List<XdsResource> out = new ArrayList<>();
        out.add(virtualOutbound());
        for (Integer port : http.keySet()) {
            String name = XdsNames.wildcardListener(port);
            HttpConnectionManager manager = managers.outbound(
                    XdsNames.statPrefix(dev.meshpilot.xds.naming.TrafficDirection.OUTBOUND, name),
                    XdsNames.outboundRouteConfig(port), accessLogs.forConnectionManager());
            Listener.Builder listener = outboundListener(name, "0.0.0.0", port)
                    .addListenerFilters(ListenerInspectors.httpInspector());
            wildcardFallbackChain(port).ifPresent(listener::addFilterChains);
            // Istio's sniffing-ready layout: plaintext HTTP (found by the HTTP inspector) to the connection manager,
            // anything else on the port as TCP to where unknown destinations go
            listener.addFilterChains(FilterChain.newBuilder()
                            .setFilterChainMatch(FilterChainMatch.newBuilder()
                                    .addAllApplicationProtocols(InboundChainOptions.PLAINTEXT_HTTP_ALPNS)
                                    .setTransportProtocol(InboundChainOptions.RAW_BUFFER))
                            .addFilters(Filters.network(manager))
                            .setTransportSocketConnectTimeout(Protos.seconds(TRANSPORT_SOCKET_CONNECT_TIMEOUT_SECONDS)))
                    .setDefaultFilterChain(FilterChain.newBuilder()
                            .setFilterChainMatch(FilterChainMatch.getDefaultInstance())
                            .setName(XdsNames.PASSTHROUGH_FILTER_CHAIN)
                            .addAllFilters(tcpStack(Filters.tcpProxy(unmatchedCluster(), unmatchedCluster(),
                                    accessLogs.forTcpOutsideScope()))));
            out.add(XdsResource.listener(listener.build(), "sidecar-outbound: HTTP port " + port + " of "
                    + http.get(port).size() + " service(s)" + wildcardFallbackOrigin(port)));
        }
        for (TcpListener planned : tcp) {
            Binding binding = planned.binding();
            int port = binding.port().port();
            Listener.Builder listener = outboundListener(planned.name(), planned.address(), port);
            if (!planned.hasAddress()) {
                wildcardFallbackChain(port).ifPresent(listener::addFilterChains);
            }
            listener.addFilterChains(FilterChain.newBuilder()
                    .addAllFilters(tcpStack(tcpFilter(binding, planned.cluster())))
                    .setTransportSocketConnectTimeout(Protos.seconds(TRANSPORT_SOCKET_CONNECT_TIMEOUT_SECONDS)));
            out.add(XdsResource.listener(listener.build(), "sidecar-outbound: TCP " + binding.port().protocol()
                    + " port " + port + " of " + binding.service().hostname()
                    + (planned.hasAddress() ? ""
                    : " (no service address: wildcard listener, the only such service on the port)"
                    + wildcardFallbackOrigin(port))));
        }
        return out;
    }

    /**
     * An outbound {@code ADDRESS_PORT} listener as istiod's {@code buildListenerFromEntry} starts it: not bound (the
     * traffic arrives through virtualOutbound), continuing when listener filters time out, no listener filter timeout
     * (MeshConfig {@code protocolDetectionTimeout} defaults to 0s).
     */
    private static Listener.Builder outboundListener(String name, String address, int port) {
        return Listener.newBuilder()
                .setName(name)
                .setAddress(Protos.socketAddress(address, port))
                .setTrafficDirection(TrafficDirection.OUTBOUND)
                .setContinueOnListenerFiltersTimeout(true)
                .setListenerFiltersTimeout(Protos.seconds(0))
                .setBindToPort(BoolValue.of(false));
    }

    /** An outbound TCP filter stack: {@code istio.stats} (istio-proxy only) before the tcp_proxy. */
    private List<io.envoyproxy.envoy.config.listener.v3.Filter> tcpStack(
            io.envoyproxy.envoy.config.listener.v3.Filter tcpProxy) {
        return kind.hasIstioExtensions() ? List.of(IstioFilters.networkStats(false), tcpProxy) : List.of(tcpProxy);
    }

    /** Where traffic to unknown destinations goes: PassthroughCluster under ALLOW_ANY, else BlackHoleCluster. */
    private String unmatchedCluster() {
        return scope.outboundTrafficPolicy() == OutboundTrafficPolicy.ALLOW_ANY
                ? XdsNames.PASSTHROUGH_CLUSTER : XdsNames.BLACK_HOLE_CLUSTER;
    }

    /** The TCP listeners of the scope, after the HTTP listeners took their ports. */
    private List<TcpListener> tcpListeners(List<Binding> tcpBindings) {
        List<TcpListener> out = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (Integer port : http.keySet()) {
            taken.add(XdsNames.wildcardListener(port));
        }
        Map<Integer, Set<String>> addresslessHosts = new TreeMap<>();
        for (Binding tcp : tcpBindings) {
            if (tcp.service().addresses().isEmpty()) {
                addresslessHosts.computeIfAbsent(tcp.port().port(), k -> new HashSet<>()).add(tcp.service().hostname());
            }
        }
        for (Binding tcp : tcpBindings) {
            int port = tcp.port().port();
            boolean hasAddress = !tcp.service().addresses().isEmpty();
            if (!hasAddress && addresslessHosts.get(port).size() > 1) {
                continue; // ambiguous: which service a connection to this port means is only known by its IP
            }
            String address = hasAddress ? tcp.service().addresses().get(0) : "0.0.0.0";
            String name = hasAddress ? XdsNames.addressListener(address, port) : XdsNames.wildcardListener(port);
            String cluster = ClusterName.outbound(port, tcp.service().hostname()).value();
            if (!clusters.contains(cluster) || !taken.add(name)) {
                continue; // no cluster (DNS entry without endpoints), or the address and port are already served
            }
            out.add(new TcpListener(tcp, name, address, cluster));
        }
        return out;
    }

    /**
     * The learning fallback chain of a {@code 0.0.0.0_PORT} listener: the addresses of left-out services on that
     * port to {@code PassthroughCluster}, logged. No destination port: the listener has one, and a chain naming it
     * would make the listener's own (port-less) chain lose every connection to another address (Envoy prunes filter
     * chains by port before address).
     */
    private Optional<FilterChain> wildcardFallbackChain(int port) {
        SortedSet<String> addresses = fallback.wildcardListenerAddresses().get(port);
        if (addresses == null) {
            return Optional.empty();
        }
        FilterChainMatch.Builder match = FilterChainMatch.newBuilder();
        addresses.forEach(a -> match.addPrefixRanges(IpPrefixes.of(a)));
        return Optional.of(passthroughChain(XdsNames.learningFallbackChain(port), match));
    }

    private String wildcardFallbackOrigin(int port) {
        SortedSet<String> addresses = fallback.wildcardListenerAddresses().get(port);
        return addresses == null ? "" : "; learning fallback chain for " + addresses.size()
                + " address(es) of services the learned scope left out";
    }

    private FilterChain passthroughChain(String name, FilterChainMatch.Builder match) {
        return FilterChain.newBuilder()
                .setName(name)
                .setFilterChainMatch(match)
                .addAllFilters(tcpStack(Filters.tcpProxy(XdsNames.PASSTHROUGH_CLUSTER, XdsNames.PASSTHROUGH_CLUSTER,
                        accessLogs.forTcpOutsideScope())))
                .build();
    }

    /**
     * tcp_proxy to the service's cluster, or to the destinations of the first {@code tcp[]} rule of its
     * VirtualService that matches the port (weighted when several); destinations without a cluster are dropped, and
     * a rule left with none falls back to the service's cluster.
     */
    private io.envoyproxy.envoy.config.listener.v3.Filter tcpFilter(Binding tcp, String defaultCluster) {
        int port = tcp.port().port();
        Optional<VirtualServiceResource> vs = Hosts.virtualServiceFor(tcp.service(), tcp.virtualServices(), domainSuffix);
        if (vs.isPresent()) {
            for (VirtualServiceResource.L4Route rule : vs.get().tcp()) {
                if (!rule.matchPorts().isEmpty() && !rule.matchPorts().contains(port)) {
                    continue;
                }
                Map<String, Integer> weights = new LinkedHashMap<>();
                for (VirtualServiceResource.RouteDestination d : rule.route()) {
                    routes.clusterOf(vs.get(), d.destination(), port)
                            .ifPresent(c -> weights.merge(c, Math.max(d.weight(), 0), Integer::sum));
                }
                if (weights.size() == 1) {
                    String only = weights.keySet().iterator().next();
                    return Filters.tcpProxy(only, only, accessLogs.forTcpInScope());
                }
                if (weights.size() > 1) {
                    boolean unweighted = weights.values().stream().allMatch(w -> w == 0);
                    TcpProxy.WeightedCluster.Builder weighted = TcpProxy.WeightedCluster.newBuilder();
                    weights.forEach((c, w) -> weighted.addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
                            .setName(c).setWeight(unweighted ? 1 : w)));
                    return Filters.network(TcpProxy.newBuilder().setStatPrefix(defaultCluster)
                            .setWeightedClusters(weighted).addAllAccessLog(accessLogs.forTcpInScope()).build());
                }
                break;
            }
        }
        return Filters.tcpProxy(defaultCluster, defaultCluster, accessLogs.forTcpInScope());
    }

    List<XdsResource> routeConfigurations() {
        List<XdsResource> out = new ArrayList<>();
        for (Map.Entry<Integer, List<Binding>> entry : http.entrySet()) {
            int port = entry.getKey();
            List<VirtualHost> hosts = new ArrayList<>();
            Set<String> usedDomains = new HashSet<>();
            usedDomains.add("*");
            Set<String> usedNames = new HashSet<>();
            for (Binding binding : entry.getValue()) {
                String name = XdsNames.virtualHost(binding.service().hostname(), port);
                if (!usedNames.add(name)) {
                    continue;
                }
                List<String> domains = new ArrayList<>();
                for (String domain : VirtualHostDomains.of(binding.service(), scope.proxyNamespace(), domainSuffix)) {
                    if (usedDomains.add(domain)) {
                        domains.add(domain); // Envoy rejects a domain repeated across virtual hosts: first wins
                    }
                }
                if (domains.isEmpty()) {
                    continue;
                }
                Optional<VirtualServiceResource> vs = Hosts.virtualServiceFor(binding.service(),
                        binding.virtualServices(), domainSuffix);
                List<Route> serviceRoutes = vs.map(v -> routes.fromVirtualService(v, port)).orElse(List.of());
                if (serviceRoutes.isEmpty()) {
                    serviceRoutes = List.of(routes.defaultRoute(binding.service(), binding.port()));
                }
                hosts.add(VirtualHost.newBuilder().setName(name).addAllDomains(domains).addAllRoutes(serviceRoutes)
                        .setIncludeRequestAttemptCount(true)
                        .build());
            }
            hosts.sort(Comparator.comparing(VirtualHost::getName));
            Optional<VirtualHost> fallbackHost = fallbackVirtualHost(port, usedDomains);
            fallbackHost.ifPresent(hosts::add);
            hosts.add(catchAll());
            RouteConfiguration config = RouteConfiguration.newBuilder()
                    .setName(XdsNames.outboundRouteConfig(port))
                    .addAllVirtualHosts(hosts)
                    .setValidateClusters(BoolValue.of(false))
                    .setIgnorePortInHostMatching(true)
                    .build();
            out.add(XdsResource.route(config, "sidecar-outbound: HTTP routes of port " + port + " ("
                    + (hosts.size() - 1 - (fallbackHost.isPresent() ? 1 : 0)) + " virtual hosts, "
                    + fallbackHost.map(h -> "learning fallback for " + fallback.virtualHostServices().get(port).size()
                    + " left-out service(s), ").orElse("") + "catch-all " + catchAllName() + ")"));
        }
        return out;
    }

    private XdsResource virtualOutbound() {
        boolean allowAny = scope.outboundTrafficPolicy() == OutboundTrafficPolicy.ALLOW_ANY;
        String unmatched = allowAny ? XdsNames.PASSTHROUGH_CLUSTER : XdsNames.BLACK_HOLE_CLUSTER;
        Listener.Builder listener = Listener.newBuilder()
                .setName(XdsNames.VIRTUAL_OUTBOUND_LISTENER)
                .setAddress(Protos.socketAddress("0.0.0.0", XdsNames.VIRTUAL_OUTBOUND_PORT))
                .setTrafficDirection(TrafficDirection.OUTBOUND)
                .setUseOriginalDst(BoolValue.of(true))
                .setMaxConnectionsToAcceptPerSocketEvent(Protos.uint32(1))
                .addFilterChains(FilterChain.newBuilder()
                        .setName(XdsNames.VIRTUAL_OUTBOUND_BLACKHOLE_CHAIN)
                        .setFilterChainMatch(FilterChainMatch.newBuilder()
                                .setDestinationPort(Protos.uint32(XdsNames.VIRTUAL_OUTBOUND_PORT)))
                        .addAllFilters(tcpStack(Filters.tcpProxy(XdsNames.BLACK_HOLE_CLUSTER,
                                XdsNames.BLACK_HOLE_CLUSTER, accessLogs.forTcpOutsideScope()))));
        SortedMap<Integer, SortedSet<String>> fallbackAddresses = fallback.virtualOutboundAddresses();
        fallbackAddresses.forEach((port, addresses) -> {
            FilterChainMatch.Builder match = FilterChainMatch.newBuilder().setDestinationPort(Protos.uint32(port));
            addresses.forEach(a -> match.addPrefixRanges(IpPrefixes.of(a)));
            listener.addFilterChains(passthroughChain(XdsNames.learningFallbackChain(port), match));
        });
        listener.addFilterChains(FilterChain.newBuilder()
                .setName(XdsNames.VIRTUAL_OUTBOUND_CATCHALL_CHAIN)
                .addAllFilters(tcpStack(Filters.tcpProxy(unmatched, unmatched, accessLogs.forTcpOutsideScope()))));
        if (!fallbackAddresses.isEmpty()) {
            // Envoy prunes chains by destination port first: a connection on a fallback chain's port to an address
            // the chain does not list matches no chain at all, and would be closed unlogged without this default.
            listener.setDefaultFilterChain(FilterChain.newBuilder()
                    .setName(XdsNames.LEARNING_FALLBACK_UNMATCHED_CHAIN)
                    .addAllFilters(tcpStack(Filters.tcpProxy(unmatched, unmatched, accessLogs.forTcpOutsideScope()))));
        }
        return XdsResource.listener(listener.build(), "sidecar-outbound: original-destination redirect, unmatched "
                + "traffic to " + unmatched + " (" + scope.outboundTrafficPolicy() + ")"
                + (fallbackAddresses.isEmpty() ? "" : "; learning fallback chains on " + fallbackAddresses.size()
                + " port(s) for services the learned scope left out"));
    }

    /**
     * The virtual host passing requests for left-out services on this port to {@code PassthroughCluster}: their
     * domains as normal virtual hosts would have them, less those an earlier virtual host holds.
     */
    private Optional<VirtualHost> fallbackVirtualHost(int port, Set<String> usedDomains) {
        List<MeshService> services = fallback.virtualHostServices().get(port);
        if (services == null) {
            return Optional.empty();
        }
        List<String> domains = new ArrayList<>();
        for (MeshService service : services) {
            for (String domain : VirtualHostDomains.of(service, scope.proxyNamespace(), domainSuffix)) {
                if (usedDomains.add(domain)) {
                    domains.add(domain);
                }
            }
        }
        if (domains.isEmpty()) {
            return Optional.empty();
        }
        Route route = Route.newBuilder().setName(XdsNames.LEARNING_FALLBACK_VIRTUAL_HOST)
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(RouteAction.newBuilder().setCluster(XdsNames.PASSTHROUGH_CLUSTER).setTimeout(Protos.seconds(0))
                        .setMaxGrpcTimeout(Protos.seconds(0)))
                .build();
        return Optional.of(VirtualHost.newBuilder().setName(XdsNames.LEARNING_FALLBACK_VIRTUAL_HOST)
                .addAllDomains(domains).addRoutes(route).setIncludeRequestAttemptCount(true).build());
    }

    private VirtualHost catchAll() {
        Route.Builder route = Route.newBuilder().setName(catchAllName())
                .setMatch(RouteMatch.newBuilder().setPrefix("/"));
        if (scope.outboundTrafficPolicy() == OutboundTrafficPolicy.ALLOW_ANY) {
            route.setRoute(RouteAction.newBuilder().setCluster(XdsNames.PASSTHROUGH_CLUSTER)
                    .setTimeout(Protos.seconds(0)).setMaxGrpcTimeout(Protos.seconds(0)));
        } else {
            route.setDirectResponse(DirectResponseAction.newBuilder().setStatus(502));
        }
        return VirtualHost.newBuilder().setName(catchAllName()).addDomains("*").addRoutes(route)
                .setIncludeRequestAttemptCount(true).build();
    }

    private String catchAllName() {
        return scope.outboundTrafficPolicy() == OutboundTrafficPolicy.ALLOW_ANY
                ? XdsNames.ALLOW_ANY_VIRTUAL_HOST : XdsNames.BLOCK_ALL_VIRTUAL_HOST;
    }

    /** HTTP-family service ports per port number, in egress-listener then scope order. */
    private static Map<Integer, List<Binding>> httpBindings(List<Binding> bindings) {
        Map<Integer, List<Binding>> out = new TreeMap<>();
        for (Binding b : bindings) {
            if (b.port().protocol().isHttp()) {
                out.computeIfAbsent(b.port().port(), k -> new ArrayList<>()).add(b);
            }
        }
        return out;
    }

    private static List<Binding> tcpBindings(List<Binding> bindings) {
        List<Binding> out = new ArrayList<>();
        for (Binding b : bindings) {
            if (!b.port().protocol().isHttp() && b.port().protocol() != Protocol.UDP) {
                out.add(b);
            }
        }
        // services with an address first (their listeners never conflict), then wildcard ones in scope order
        out.sort(Comparator.comparing((Binding b) -> b.service().addresses().isEmpty()));
        return out;
    }

    /** Every (service, port) reachable through an egress listener; port-bound listeners claim their port first. */
    private List<Binding> bindings() {
        // a service port equal to 15001/15006 would collide with virtualOutbound/virtualInbound's address
        return candidateBindings().stream().filter(b -> !XdsNames.isVirtualListenerPort(b.port().port())).toList();
    }

    private List<Binding> candidateBindings() {
        List<ProxyScope.EgressScope> egress = scope.egressListeners();
        List<ProxyScope.EgressScope> ordered = new ArrayList<>();
        egress.stream().filter(e -> e.listener().port().isPresent()).forEach(ordered::add);
        egress.stream().filter(e -> e.listener().port().isEmpty()).forEach(ordered::add);
        if (ordered.isEmpty()) {
            return scopeWide();
        }
        Set<Integer> claimed = new HashSet<>();
        for (ProxyScope.EgressScope listener : ordered) {
            listener.listener().port().ifPresent(p -> claimed.add(p.number()));
        }
        Map<String, Binding> out = new LinkedHashMap<>();
        for (ProxyScope.EgressScope listener : ordered) {
            bind(out, listener, listener.services(), claimed);
        }
        // Services a listener's VirtualServices pulled in (R29) are routed by the listener that owns their port.
        for (ProxyScope.EgressScope listener : ordered) {
            bind(out, listener, scope.services(), claimed);
        }
        return List.copyOf(out.values());
    }

    private static void bind(Map<String, Binding> out, ProxyScope.EgressScope listener, List<MeshService> services,
                             Set<Integer> claimed) {
        Optional<Integer> bound = listener.listener().port().map(p -> p.number());
        for (MeshService service : services) {
            for (ServicePort port : ServiceClusters.clusterPorts(service)) {
                if (bound.isPresent() ? port.port() != bound.get() : claimed.contains(port.port())) {
                    continue;
                }
                out.putIfAbsent(service.hostname() + ":" + port.port(),
                        new Binding(service, port, listener.virtualServices()));
            }
        }
    }

    private List<Binding> scopeWide() {
        List<Binding> out = new ArrayList<>();
        for (MeshService service : scope.services()) {
            for (ServicePort port : ServiceClusters.clusterPorts(service)) {
                out.add(new Binding(service, port, scope.virtualServices()));
            }
        }
        return out;
    }
}
