package dev.meshpilot.xds.inspect;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

import java.util.ArrayList;
import java.util.List;

/**
 * The resources of one proxy as an Envoy config dump holds them, typed. Offline ({@code --registry}) and live
 * ({@code --server}) inspection both go through a {@link ConfigDump}, so what the tables print is what a dump
 * holds, whichever side produced it.
 */
public record DumpedConfig(List<Cluster> clusters, List<Listener> listeners, List<RouteConfiguration> routes,
                           List<ClusterLoadAssignment> endpoints) {

    public DumpedConfig {
        clusters = List.copyOf(clusters);
        listeners = List.copyOf(listeners);
        routes = List.copyOf(routes);
        endpoints = List.copyOf(endpoints);
    }

    /** Reads the dynamic resources out of a dump; sections it does not know are ignored. */
    public static DumpedConfig from(ConfigDump dump) {
        List<Cluster> clusters = new ArrayList<>();
        List<Listener> listeners = new ArrayList<>();
        List<RouteConfiguration> routes = new ArrayList<>();
        List<ClusterLoadAssignment> endpoints = new ArrayList<>();
        for (Any section : dump.getConfigsList()) {
            if (section.is(ClustersConfigDump.class)) {
                ClustersConfigDump c = unpack(section, ClustersConfigDump.class);
                c.getStaticClustersList().forEach(s -> clusters.add(unpack(s.getCluster(), Cluster.class)));
                c.getDynamicActiveClustersList().forEach(d -> clusters.add(unpack(d.getCluster(), Cluster.class)));
            } else if (section.is(ListenersConfigDump.class)) {
                ListenersConfigDump l = unpack(section, ListenersConfigDump.class);
                l.getStaticListenersList().forEach(s -> listeners.add(unpack(s.getListener(), Listener.class)));
                l.getDynamicListenersList().stream().filter(d -> d.hasActiveState())
                        .forEach(d -> listeners.add(unpack(d.getActiveState().getListener(), Listener.class)));
            } else if (section.is(RoutesConfigDump.class)) {
                RoutesConfigDump r = unpack(section, RoutesConfigDump.class);
                r.getStaticRouteConfigsList().forEach(s -> routes.add(unpack(s.getRouteConfig(), RouteConfiguration.class)));
                r.getDynamicRouteConfigsList().forEach(d -> routes.add(unpack(d.getRouteConfig(), RouteConfiguration.class)));
            } else if (section.is(EndpointsConfigDump.class)) {
                EndpointsConfigDump e = unpack(section, EndpointsConfigDump.class);
                e.getStaticEndpointConfigsList().forEach(s -> endpoints.add(
                        unpack(s.getEndpointConfig(), ClusterLoadAssignment.class)));
                e.getDynamicEndpointConfigsList().forEach(d -> endpoints.add(
                        unpack(d.getEndpointConfig(), ClusterLoadAssignment.class)));
            }
        }
        return new DumpedConfig(clusters, listeners, routes, endpoints);
    }

    private static <T extends Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("config dump holds a malformed " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }
}
