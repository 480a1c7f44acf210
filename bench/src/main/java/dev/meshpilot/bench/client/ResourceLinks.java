package dev.meshpilot.bench.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a resource makes a client ask for next, as Envoy and gRPC do: an EDS cluster's endpoint set, a listener's
 * route configurations, a route configuration's clusters. Answers are remembered by resource digest, so identical
 * resources received by many clients are parsed once.
 */
public final class ResourceLinks {

    private static final String HCM_TYPE =
            "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
    private static final String[] NONE = new String[0];

    private static final String TCP_PROXY_TYPE =
            "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy";

    /**
     * A resource's name, the names it references, and for listeners and route configurations what a call needs to
     * pick its path ({@link Routing.Listener}, {@link Routing.Routes}; null for other types).
     */
    record Parsed(String name, String[] references, Object routing) {
    }

    private final Map<Long, Parsed> byDigest = new ConcurrentHashMap<>();
    private final Interner interner;

    public ResourceLinks(Interner interner) {
        this.interner = interner;
    }

    /** FNV-1a 64 over the serialized resource, mixed with its type so equal bytes of two types differ. */
    static long digest(String typeUrl, Any resource) {
        long h = 0xcbf29ce484222325L ^ typeUrl.hashCode();
        ByteBuffer bytes = resource.getValue().asReadOnlyByteBuffer();
        while (bytes.hasRemaining()) {
            h ^= bytes.get() & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The resource's name and the names it refers to (EDS for a cluster, RDS for a listener, CDS for routes). */
    Parsed parsed(String typeUrl, long digest, Any resource) {
        return byDigest.computeIfAbsent(digest, d -> parse(typeUrl, resource));
    }

    /** The routing part of a listener or route configuration seen before (by digest); null otherwise. */
    Object routingOf(long digest) {
        Parsed parsed = byDigest.get(digest);
        return parsed == null ? null : parsed.routing();
    }

    /** The references of a resource seen before (by digest); null if never parsed. */
    String[] linksOf(long digest) {
        Parsed parsed = byDigest.get(digest);
        return parsed == null ? null : parsed.references();
    }

    private Parsed parse(String typeUrl, Any resource) {
        try {
            List<String> out = new ArrayList<>();
            String name;
            Object routing = null;
            switch (typeUrl) {
                case TypeUrls.CLUSTER -> {
                    Cluster cluster = Cluster.parseFrom(resource.getValue());
                    name = cluster.getName();
                    if (cluster.hasEdsClusterConfig() || cluster.getType() == Cluster.DiscoveryType.EDS) {
                        String service = cluster.getEdsClusterConfig().getServiceName();
                        out.add(service.isEmpty() ? cluster.getName() : service);
                    }
                }
                case TypeUrls.LISTENER -> {
                    Listener listener = Listener.parseFrom(resource.getValue());
                    name = listener.getName();
                    routesOf(listener, out);
                    routing = listenerRouting(listener);
                }
                case TypeUrls.ROUTE -> {
                    RouteConfiguration config = RouteConfiguration.parseFrom(resource.getValue());
                    name = config.getName();
                    clustersOf(config, out);
                    routing = routeRouting(config);
                }
                case TypeUrls.ENDPOINT -> name = ClusterLoadAssignment.parseFrom(resource.getValue()).getClusterName();
                default -> name = "";
            }
            String[] refs = out.isEmpty() ? NONE
                    : out.stream().map(interner::name).distinct().sorted().toArray(String[]::new);
            return new Parsed(interner.name(name), refs, routing);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("server sent an unparsable " + TypeUrls.shortName(typeUrl), e);
        }
    }

    private static void routesOf(Listener listener, List<String> out) throws InvalidProtocolBufferException {
        if (listener.hasApiListener()) {
            hcmRoutes(listener.getApiListener().getApiListener(), out);
        }
        List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
        if (listener.hasDefaultFilterChain()) {
            chains.add(listener.getDefaultFilterChain());
        }
        for (FilterChain chain : chains) {
            for (Filter filter : chain.getFiltersList()) {
                if (filter.hasTypedConfig()) {
                    hcmRoutes(filter.getTypedConfig(), out);
                }
            }
        }
    }

    private static void hcmRoutes(Any config, List<String> out) throws InvalidProtocolBufferException {
        if (!config.getTypeUrl().equals(HCM_TYPE)) {
            return;
        }
        HttpConnectionManager hcm = HttpConnectionManager.parseFrom(config.getValue());
        if (hcm.hasRds()) {
            out.add(hcm.getRds().getRouteConfigName());
        }
    }

    private static void clustersOf(RouteConfiguration config, List<String> out) {
        for (VirtualHost host : config.getVirtualHostsList()) {
            for (Route route : host.getRoutesList()) {
                if (!route.hasRoute()) {
                    continue;
                }
                RouteAction action = route.getRoute();
                if (!action.getCluster().isEmpty()) {
                    out.add(action.getCluster());
                }
                for (WeightedCluster.ClusterWeight weight : action.getWeightedClusters().getClustersList()) {
                    out.add(weight.getName());
                }
            }
        }
    }

    private static Routing.Listener listenerRouting(Listener listener) throws InvalidProtocolBufferException {
        List<Routing.Chain> chains = new ArrayList<>();
        for (FilterChain chain : listener.getFilterChainsList()) {
            chains.add(chainRouting(chain));
        }
        return new Routing.Listener(List.copyOf(chains),
                listener.hasDefaultFilterChain() ? chainRouting(listener.getDefaultFilterChain()) : null);
    }

    private static Routing.Chain chainRouting(FilterChain chain) throws InvalidProtocolBufferException {
        int port = chain.getFilterChainMatch().hasDestinationPort()
                ? chain.getFilterChainMatch().getDestinationPort().getValue() : 0;
        List<Routing.Prefix> prefixes = new ArrayList<>();
        for (var range : chain.getFilterChainMatch().getPrefixRangesList()) {
            long ip = Routing.ipv4(range.getAddressPrefix());
            if (ip >= 0) {
                prefixes.add(new Routing.Prefix(ip, range.hasPrefixLen() ? range.getPrefixLen().getValue() : 32));
            }
        }
        String tcpCluster = "";
        String rds = "";
        for (Filter filter : chain.getFiltersList()) {
            if (!filter.hasTypedConfig()) {
                continue;
            }
            Any config = filter.getTypedConfig();
            if (config.getTypeUrl().equals(TCP_PROXY_TYPE)) {
                TcpProxy proxy = TcpProxy.parseFrom(config.getValue());
                tcpCluster = !proxy.getCluster().isEmpty() ? proxy.getCluster()
                        : proxy.getWeightedClusters().getClustersCount() > 0
                        ? proxy.getWeightedClusters().getClusters(0).getName() : "";
            } else if (config.getTypeUrl().equals(HCM_TYPE)) {
                HttpConnectionManager hcm = HttpConnectionManager.parseFrom(config.getValue());
                rds = hcm.hasRds() ? hcm.getRds().getRouteConfigName() : "";
            }
        }
        return new Routing.Chain(chain.getName(), port, List.copyOf(prefixes), tcpCluster, rds);
    }

    private static Routing.Routes routeRouting(RouteConfiguration config) {
        List<Routing.VirtualHost> hosts = new ArrayList<>();
        for (VirtualHost host : config.getVirtualHostsList()) {
            String cluster = "";
            for (Route route : host.getRoutesList()) {
                if (route.hasRoute()) {
                    RouteAction action = route.getRoute();
                    cluster = !action.getCluster().isEmpty() ? action.getCluster()
                            : action.getWeightedClusters().getClustersCount() > 0
                            ? action.getWeightedClusters().getClusters(0).getName() : "";
                    break;
                }
                if (route.hasDirectResponse()) {
                    break;
                }
            }
            hosts.add(new Routing.VirtualHost(host.getName(), java.util.Set.copyOf(host.getDomainsList()), cluster));
        }
        return new Routing.Routes(List.copyOf(hosts));
    }
}
