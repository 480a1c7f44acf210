package dev.meshpilot.e2e.ads;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Follows the references a proxyless gRPC client follows: listener (api_listener HCM) → route config name →
 * cluster names → EDS service name → endpoint ports. Reads the Envoy protos; a malformed resource fails loudly.
 */
public final class XdsChain {

    private XdsChain() {
    }

    public static String routeConfigName(Any listenerAny) {
        Listener listener = unpack(listenerAny, Listener.class);
        HttpConnectionManager hcm = unpack(listener.getApiListener().getApiListener(), HttpConnectionManager.class);
        if (!hcm.hasRds()) {
            throw new AssertionError("listener " + listener.getName() + " has no RDS reference: " + hcm);
        }
        return hcm.getRds().getRouteConfigName();
    }

    public static Set<String> clusterNames(Any routeAny) {
        RouteConfiguration routes = unpack(routeAny, RouteConfiguration.class);
        Set<String> clusters = new LinkedHashSet<>();
        for (VirtualHost host : routes.getVirtualHostsList()) {
            for (Route route : host.getRoutesList()) {
                if (!route.getRoute().getCluster().isEmpty()) {
                    clusters.add(route.getRoute().getCluster());
                }
                for (WeightedCluster.ClusterWeight weighted : route.getRoute().getWeightedClusters().getClustersList()) {
                    clusters.add(weighted.getName());
                }
            }
        }
        return clusters;
    }

    public static Set<String> virtualHostDomains(Any routeAny) {
        Set<String> domains = new LinkedHashSet<>();
        unpack(routeAny, RouteConfiguration.class).getVirtualHostsList()
                .forEach(host -> domains.addAll(host.getDomainsList()));
        return domains;
    }

    /** The EDS name a client subscribes to for this cluster (service_name, or the cluster's own name). */
    public static String edsServiceName(Any clusterAny) {
        Cluster cluster = unpack(clusterAny, Cluster.class);
        String serviceName = cluster.getEdsClusterConfig().getServiceName();
        return serviceName.isEmpty() ? cluster.getName() : serviceName;
    }

    public static List<Integer> endpointPorts(Any assignmentAny) {
        ClusterLoadAssignment assignment = unpack(assignmentAny, ClusterLoadAssignment.class);
        return assignment.getEndpointsList().stream()
                .flatMap(locality -> locality.getLbEndpointsList().stream())
                .map(LbEndpoint::getEndpoint)
                .map(endpoint -> endpoint.getAddress().getSocketAddress().getPortValue())
                .toList();
    }

    public static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("resource of type " + any.getTypeUrl() + " is not a " + type.getSimpleName(), e);
        }
    }
}
