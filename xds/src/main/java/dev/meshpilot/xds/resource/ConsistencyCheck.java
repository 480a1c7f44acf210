package dev.meshpilot.xds.resource;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
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

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The check go-control-plane runs on a snapshot before serving it: every cluster a listener or route points at
 * exists, every EDS cluster has a ClusterLoadAssignment, every route configuration a listener asks for over RDS
 * exists.
 */
public final class ConsistencyCheck {

    private ConsistencyCheck() {
    }

    /** The broken references of a resource collection, each as one sentence; empty when consistent. */
    public static List<String> problems(ProxyResources resources) {
        List<XdsResource> all = new ArrayList<>();
        resources.sets().values().forEach(set -> all.addAll(set.resources()));
        return problems(resources, all);
    }

    /**
     * The broken references of only {@code among} (resources of the collection), resolved against the whole
     * collection. A proxy's resources are its scope's shared part, checked once when generated, plus its own; since
     * adding resources never breaks a reference, checking its own against the whole is enough.
     */
    public static List<String> problems(ProxyResources resources, Collection<XdsResource> among) {
        List<String> problems = new ArrayList<>();
        ResourceSet clusters = resources.clusters();
        ResourceSet endpoints = resources.endpoints();
        ResourceSet routes = resources.routes();
        for (XdsResource r : among) {
            switch (r.type()) {
                case CLUSTER -> checkCluster((Cluster) r.proto(), endpoints, problems);
                case LISTENER -> r.listenerReferences().forEach(ref -> ref.check(clusters, routes, problems));
                case ROUTE -> checkRouteConfig((RouteConfiguration) r.proto(), "route configuration " + r.name(),
                        clusters, problems);
                case ENDPOINT -> {
                    // a ClusterLoadAssignment references nothing
                }
            }
        }
        return problems;
    }

    /**
     * @throws InconsistentResourcesException naming every broken reference
     */
    public static void requireConsistent(ProxyResources resources, String proxyId) {
        throwIfAny(problems(resources), proxyId);
    }

    /**
     * Checks only {@code among} against the whole collection (see {@link #problems(ProxyResources, Collection)}).
     *
     * @throws InconsistentResourcesException naming every broken reference
     */
    public static void requireConsistent(ProxyResources resources, Collection<XdsResource> among, String proxyId) {
        throwIfAny(problems(resources, among), proxyId);
    }

    private static void throwIfAny(List<String> problems, String proxyId) {
        if (!problems.isEmpty()) {
            throw new InconsistentResourcesException(proxyId, problems);
        }
    }

    private static void checkCluster(Cluster cluster, ResourceSet endpoints, List<String> problems) {
        if (cluster.getType() == Cluster.DiscoveryType.EDS) {
            String serviceName = cluster.getEdsClusterConfig().getServiceName().isEmpty()
                    ? cluster.getName() : cluster.getEdsClusterConfig().getServiceName();
            if (!endpoints.contains(serviceName)) {
                problems.add("EDS cluster " + cluster.getName() + " has no ClusterLoadAssignment " + serviceName);
            }
        }
    }

    /**
     * One reference a listener makes: a cluster (TCP proxy, inline route), a route configuration (RDS), or a typed
     * config that could not be read. A listener's references are found once ({@link XdsResource#listenerReferences});
     * scopes that share it (interned) only look its names up in their own sets.
     */
    record Reference(Kind kind, String where, String name) {
        enum Kind { CLUSTER, ROUTE, UNREADABLE }

        void check(ResourceSet clusters, ResourceSet routes, List<String> problems) {
            switch (kind) {
                case CLUSTER -> requireCluster(name, where, clusters, problems);
                case ROUTE -> {
                    if (!routes.contains(name)) {
                        problems.add(where + " asks RDS for route configuration " + name + ", which is not generated");
                    }
                }
                case UNREADABLE -> problems.add(where + " has an unreadable " + name);
            }
        }
    }

    /** Every reference of a listener, in the order of its chains and filters. */
    static List<Reference> referencesOf(Listener listener) {
        List<Reference> out = new ArrayList<>();
        String where = "listener " + listener.getName();
        for (FilterChain chain : listener.getFilterChainsList()) {
            chainReferences(chain, where, out);
        }
        if (listener.hasDefaultFilterChain()) {
            chainReferences(listener.getDefaultFilterChain(), where, out);
        }
        if (listener.hasApiListener()) {
            typedConfigReferences(listener.getApiListener().getApiListener(), where + " api_listener", out);
        }
        return List.copyOf(out);
    }

    private static void chainReferences(FilterChain chain, String listener, List<Reference> out) {
        String where = listener + " filter chain '" + chain.getName() + "'";
        for (Filter filter : chain.getFiltersList()) {
            if (filter.hasTypedConfig()) {
                typedConfigReferences(filter.getTypedConfig(), where, out);
            }
        }
    }

    private static void typedConfigReferences(Any config, String where, List<Reference> out) {
        try {
            if (config.is(TcpProxy.class)) {
                TcpProxy tcp = config.unpack(TcpProxy.class);
                if (tcp.hasWeightedClusters()) {
                    for (TcpProxy.WeightedCluster.ClusterWeight w : tcp.getWeightedClusters().getClustersList()) {
                        out.add(new Reference(Reference.Kind.CLUSTER, where, w.getName()));
                    }
                } else {
                    out.add(new Reference(Reference.Kind.CLUSTER, where, tcp.getCluster()));
                }
            } else if (config.is(HttpConnectionManager.class)) {
                HttpConnectionManager hcm = config.unpack(HttpConnectionManager.class);
                if (hcm.hasRds()) {
                    out.add(new Reference(Reference.Kind.ROUTE, where, hcm.getRds().getRouteConfigName()));
                } else if (hcm.hasRouteConfig()) {
                    routeConfigReferences(hcm.getRouteConfig(), where + " inline routes", out);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            out.add(new Reference(Reference.Kind.UNREADABLE, where, config.getTypeUrl() + ": " + e.getMessage()));
        }
    }

    private static void routeConfigReferences(RouteConfiguration config, String where, List<Reference> out) {
        forEachRouteCluster(config, where, (at, cluster) -> out.add(new Reference(Reference.Kind.CLUSTER, at, cluster)));
    }

    private static void checkRouteConfig(RouteConfiguration config, String where, ResourceSet clusters,
                                         List<String> problems) {
        forEachRouteCluster(config, where, (at, cluster) -> requireCluster(cluster, at, clusters, problems));
    }

    /** Every cluster a route configuration's routes point at, with where it is pointed at. */
    private static void forEachRouteCluster(RouteConfiguration config, String where,
                                            java.util.function.BiConsumer<String, String> cluster) {
        for (VirtualHost host : config.getVirtualHostsList()) {
            for (Route route : host.getRoutesList()) {
                if (!route.hasRoute()) {
                    continue;
                }
                RouteAction action = route.getRoute();
                String at = where + " virtual host " + host.getName();
                if (action.hasWeightedClusters()) {
                    for (WeightedCluster.ClusterWeight w : action.getWeightedClusters().getClustersList()) {
                        cluster.accept(at, w.getName());
                    }
                } else if (!action.getCluster().isEmpty()) {
                    cluster.accept(at, action.getCluster());
                }
            }
        }
    }

    private static void requireCluster(String name, String where, ResourceSet clusters, List<String> problems) {
        if (!clusters.contains(name)) {
            problems.add(where + " points at cluster " + name + ", which is not generated");
        }
    }

}
