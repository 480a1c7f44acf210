package dev.meshpilot.xds.simulate;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshpilot.xds.naming.HostPort;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Walks generated config the way Envoy (or a proxyless gRPC client) would for one request: listener by
 * destination address and port (specific VIP listener, else the port's wildcard listener, else virtualOutbound
 * with original destination), filter chain by destination port and address as Envoy prunes them (then the default
 * chain), then tcp_proxy's cluster, or RDS route
 * configuration → virtual host by Host header (exact, then suffix wildcard, then {@code *}) → first matching route
 * → cluster(s). It checks behaviour, not shape: the answer is where traffic goes.
 */
public final class TrafficSimulation {

    private final ProxyResources resources;

    public TrafficSimulation(ProxyResources resources) {
        this.resources = resources;
    }

    /**
     * Where the request goes.
     *
     * @param listener     the listener that accepted it
     * @param virtualHost  the virtual host that matched (empty for TCP)
     * @param clusters     target clusters with their weights (one entry with weight 100 for a single cluster)
     * @param directStatus the status of a direct response (0 when routed to clusters)
     */
    public record Outcome(String listener, String filterChain, String routeConfig, String virtualHost, String route,
                          Map<String, Integer> clusters, int directStatus) {
        public String cluster() {
            if (clusters.size() != 1) {
                throw new AssertionError("expected one cluster, got " + this);
            }
            return clusters.keySet().iterator().next();
        }
    }

    /** An HTTP request from a sidecar's application to {@code ip:port} with this Host header and path. */
    public Outcome http(String ip, int port, String host, String path) {
        return http(ip, port, host, path, Map.of());
    }

    public Outcome http(String ip, int port, String host, String path, Map<String, String> headers) {
        Listener listener = outboundListener(ip, port);
        FilterChain chain = chain(listener, ip, port);
        return walkChain(listener, chain, host, path, headers);
    }

    /** A TCP connection from a sidecar's application to {@code ip:port}. */
    public Outcome tcp(String ip, int port) {
        Listener listener = outboundListener(ip, port);
        FilterChain chain = chain(listener, ip, port);
        return walkChain(listener, chain, "", "/", Map.of());
    }

    /** A connection arriving at the sidecar for its workload on {@code port} (through virtualInbound). */
    public Outcome inbound(int port, String path) {
        Listener listener = listenerNamed("virtualInbound");
        return walkChain(listener, chain(listener, "127.0.0.1", port), "inbound", path, Map.of());
    }

    /** A proxyless gRPC call to target {@code xds:///host:port} with this method path. */
    public Outcome grpc(String host, int port, String path) {
        String name = new HostPort(host, port).value();
        Listener listener = listenerNamed(name);
        HttpConnectionManager hcm = unpack(listener.getApiListener().getApiListener(), HttpConnectionManager.class);
        return routeHttp(listener.getName(), "", hcm, name, path, Map.of());
    }

    private Outcome walkChain(Listener listener, FilterChain chain, String host, String path, Map<String, String> headers) {
        for (Filter filter : chain.getFiltersList()) {
            Any config = filter.getTypedConfig();
            if (config.is(TcpProxy.class)) {
                TcpProxy tcp = unpack(config, TcpProxy.class);
                Map<String, Integer> clusters = new LinkedHashMap<>();
                if (tcp.hasWeightedClusters()) {
                    tcp.getWeightedClusters().getClustersList().forEach(w -> clusters.put(w.getName(), w.getWeight()));
                } else {
                    clusters.put(tcp.getCluster(), 100);
                }
                for (String cluster : clusters.keySet()) {
                    if (!resources.clusters().contains(cluster)) {
                        throw new AssertionError("tcp_proxy of " + listener.getName() + " points at missing cluster " + cluster);
                    }
                }
                return new Outcome(listener.getName(), chain.getName(), "", "", "", clusters, 0);
            }
            if (config.is(HttpConnectionManager.class)) {
                return routeHttp(listener.getName(), chain.getName(), unpack(config, HttpConnectionManager.class), host,
                        path, headers);
            }
        }
        throw new AssertionError("filter chain " + chain.getName() + " of " + listener.getName() + " has no terminal filter");
    }

    private Outcome routeHttp(String listener, String chain, HttpConnectionManager hcm, String host, String path,
                              Map<String, String> headers) {
        RouteConfiguration config = hcm.hasRds()
                ? (RouteConfiguration) resources.routes().get(hcm.getRds().getRouteConfigName())
                        .orElseThrow(() -> new AssertionError("no route configuration " + hcm.getRds().getRouteConfigName()))
                        .proto()
                : hcm.getRouteConfig();
        VirtualHost vhost = virtualHost(config, host)
                .orElseThrow(() -> new AssertionError("no virtual host of " + config.getName() + " matches " + host));
        for (Route route : vhost.getRoutesList()) {
            if (!matches(route.getMatch(), path, headers)) {
                continue;
            }
            if (route.hasDirectResponse()) {
                return new Outcome(listener, chain, config.getName(), vhost.getName(), route.getName(), Map.of(),
                        route.getDirectResponse().getStatus());
            }
            Map<String, Integer> clusters = new LinkedHashMap<>();
            if (route.getRoute().hasWeightedClusters()) {
                for (WeightedCluster.ClusterWeight w : route.getRoute().getWeightedClusters().getClustersList()) {
                    clusters.put(w.getName(), w.getWeight().getValue());
                }
            } else {
                clusters.put(route.getRoute().getCluster(), 100);
            }
            for (String cluster : clusters.keySet()) {
                if (!resources.clusters().contains(cluster)) {
                    throw new AssertionError("route " + route.getName() + " points at missing cluster " + cluster);
                }
            }
            return new Outcome(listener, chain, config.getName(), vhost.getName(), route.getName(), clusters, 0);
        }
        return new Outcome(listener, chain, config.getName(), vhost.getName(), "", Map.of(), 404);
    }

    private static Optional<VirtualHost> virtualHost(RouteConfiguration config, String hostHeader) {
        // Envoy strips the port of the Host header before matching when the configuration ignores ports
        String host = config.getIgnorePortInHostMatching() ? withoutPort(hostHeader) : hostHeader;
        for (VirtualHost vhost : config.getVirtualHostsList()) {
            if (vhost.getDomainsList().contains(host)) {
                return Optional.of(vhost);
            }
        }
        VirtualHost best = null;
        int bestLength = -1;
        for (VirtualHost vhost : config.getVirtualHostsList()) {
            for (String domain : vhost.getDomainsList()) {
                if (domain.startsWith("*") && domain.length() > 1 && host.endsWith(domain.substring(1))
                        && domain.length() > bestLength) {
                    best = vhost;
                    bestLength = domain.length();
                }
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        return config.getVirtualHostsList().stream().filter(v -> v.getDomainsList().contains("*")).findFirst();
    }

    private static boolean matches(RouteMatch match, String path, Map<String, String> headers) {
        boolean pathOk = switch (match.getPathSpecifierCase()) {
            case PREFIX -> path.startsWith(match.getPrefix());
            case PATH -> path.equals(match.getPath());
            case SAFE_REGEX -> path.matches(match.getSafeRegex().getRegex());
            default -> false;
        };
        if (!pathOk) {
            return false;
        }
        for (HeaderMatcher header : match.getHeadersList()) {
            String value = headers.get(header.getName());
            if (header.getPresentMatch()) {
                if (value == null) {
                    return false;
                }
                continue;
            }
            if (value == null) {
                return false;
            }
            var sm = header.getStringMatch();
            boolean ok = switch (sm.getMatchPatternCase()) {
                case EXACT -> value.equals(sm.getExact());
                case PREFIX -> value.startsWith(sm.getPrefix());
                case SAFE_REGEX -> value.matches(sm.getSafeRegex().getRegex());
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private Listener outboundListener(String ip, int port) {
        Optional<Listener> specific = find(ip + "_" + port);
        if (specific.isPresent()) {
            return specific.get();
        }
        Optional<Listener> wildcard = find("0.0.0.0_" + port);
        return wildcard.orElseGet(() -> listenerNamed("virtualOutbound"));
    }

    /**
     * Envoy's filter chain selection for a connection to {@code ip:port}, pruning step by step as
     * {@code FilterChainMatch} documents: chains naming the destination port if any, else those naming none; then
     * among those, the chains whose {@code prefix_ranges} hold the address with the longest prefix, else those
     * without ranges; none left means the listener's default filter chain, or a closed connection (an error here).
     */
    private static FilterChain chain(Listener listener, String ip, int port) {
        List<FilterChain> candidates = listener.getFilterChainsList().stream()
                .filter(c -> c.getFilterChainMatch().hasDestinationPort()
                        && c.getFilterChainMatch().getDestinationPort().getValue() == port)
                .toList();
        if (candidates.isEmpty()) {
            candidates = listener.getFilterChainsList().stream()
                    .filter(c -> !c.getFilterChainMatch().hasDestinationPort()).toList();
        }
        FilterChain best = null;
        int bestLength = -1;
        for (FilterChain chain : candidates) {
            for (CidrRange range : chain.getFilterChainMatch().getPrefixRangesList()) {
                int length = range.getPrefixLen().getValue();
                if (length > bestLength && contains(range, ip)) {
                    best = chain;
                    bestLength = length;
                }
            }
        }
        if (best == null) {
            best = candidates.stream().filter(c -> c.getFilterChainMatch().getPrefixRangesCount() == 0)
                    .findFirst().orElse(null);
        }
        if (best == null && listener.hasDefaultFilterChain()) {
            best = listener.getDefaultFilterChain();
        }
        if (best == null) {
            throw new AssertionError("no filter chain of " + listener.getName() + " accepts " + ip + ":" + port
                    + " (Envoy would close the connection)");
        }
        return best;
    }

    private static boolean contains(CidrRange range, String ip) {
        byte[] prefix = bytes(range.getAddressPrefix());
        byte[] address = bytes(ip);
        if (prefix.length != address.length) {
            return false;
        }
        int bits = range.getPrefixLen().getValue();
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((prefix[i / 8] & mask) != (address[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(String literal) {
        try {
            return java.net.InetAddress.getByName(literal).getAddress(); // literals only: no lookup happens
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("not an IP literal: " + literal, e);
        }
    }

    private Optional<Listener> find(String name) {
        return resources.listeners().get(name).map(XdsResource::proto).map(Listener.class::cast);
    }

    private Listener listenerNamed(String name) {
        return find(name).orElseThrow(() -> new AssertionError("no listener " + name));
    }

    private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static String withoutPort(String host) {
        int colon = host.lastIndexOf(':');
        if (colon < 0 || (host.startsWith("[") && colon < host.indexOf(']'))) {
            return host;
        }
        return host.substring(0, colon);
    }
}
