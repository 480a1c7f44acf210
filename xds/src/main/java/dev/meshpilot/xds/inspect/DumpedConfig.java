package dev.meshpilot.xds.inspect;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.meshpilot.xds.dump.ConfigDumpReader;
import dev.meshpilot.xds.dump.DumpNode;
import dev.meshpilot.xds.dump.DumpReadResult;
import dev.meshpilot.xds.dump.DumpVisitor;
import dev.meshpilot.xds.dump.Section;
import io.envoyproxy.envoy.admin.v3.BootstrapConfigDump;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.admin.v3.SecretsConfigDump;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The resources of one proxy as istioctl reads them out of an Envoy config dump, typed and in istioctl's order:
 * dynamic (active) resources first, then static ones; warming resources are left out. Offline
 * ({@code --registry}), live ({@code --server}) and file ({@code --file}) inspection all go through a dump, so what
 * the tables print is what a dump holds, whichever side produced it.
 *
 * @param node    the proxy the dump's bootstrap names, if the dump has one
 * @param secrets dynamic (active or warming) secrets the dump lists
 */
public record DumpedConfig(List<Cluster> clusters, List<Listener> listeners, List<RouteConfiguration> routes,
                           List<ClusterLoadAssignment> endpoints, Optional<DumpNode> node, int secrets) {

    public DumpedConfig {
        clusters = List.copyOf(clusters);
        listeners = List.copyOf(listeners);
        routes = List.copyOf(routes);
        endpoints = List.copyOf(endpoints);
        node = node == null ? Optional.empty() : node;
    }

    /** A dump file's resources of every kind; for huge dumps use {@link ConfigDumpReader} with a visitor. */
    public static Read read(Path file) {
        return read(file, EnumSet.allOf(Kind.class));
    }

    /** The resource kinds a command may keep from a dump (the others are read past, not held). */
    public enum Kind { CLUSTERS, LISTENERS, ROUTES, ENDPOINTS }

    /**
     * A dump file's resources of these kinds only, so a table of one kind holds only that kind of a huge dump.
     * Routes need listeners (a dump without static route configurations gets the listeners' inline ones).
     */
    public static Read read(Path file, Set<Kind> kinds) {
        Collector collector = new Collector(kinds);
        DumpReadResult result = ConfigDumpReader.read(file, collector);
        return new Read(collector.build(), result);
    }

    /** A dump file's resources and what reading it skipped. */
    public record Read(DumpedConfig config, DumpReadResult result) {
    }

    /** Reads the resources out of a dump message; sections it does not know are ignored. */
    public static DumpedConfig from(ConfigDump dump) {
        Collector c = new Collector(EnumSet.allOf(Kind.class));
        for (Any section : dump.getConfigsList()) {
            if (section.is(BootstrapConfigDump.class)) {
                BootstrapConfigDump b = unpack(section, BootstrapConfigDump.class);
                if (b.hasBootstrap()) {
                    c.node(DumpNode.of(b.getBootstrap().getNode()));
                }
            } else if (section.is(SecretsConfigDump.class)) {
                SecretsConfigDump d = unpack(section, SecretsConfigDump.class);
                d.getDynamicActiveSecretsList().forEach(x -> c.secret(x.getName(), Section.DYNAMIC_ACTIVE));
                d.getDynamicWarmingSecretsList().forEach(x -> c.secret(x.getName(), Section.DYNAMIC_WARMING));
            } else if (section.is(ClustersConfigDump.class)) {
                ClustersConfigDump d = unpack(section, ClustersConfigDump.class);
                d.getStaticClustersList().forEach(s -> c.cluster(unpack(s.getCluster(), Cluster.class), Section.STATIC));
                d.getDynamicActiveClustersList().forEach(x -> c.cluster(unpack(x.getCluster(), Cluster.class),
                        Section.DYNAMIC_ACTIVE));
            } else if (section.is(ListenersConfigDump.class)) {
                ListenersConfigDump d = unpack(section, ListenersConfigDump.class);
                d.getStaticListenersList().forEach(s -> c.listener(unpack(s.getListener(), Listener.class),
                        Section.STATIC));
                d.getDynamicListenersList().stream().filter(x -> x.hasActiveState()).forEach(x -> c.listener(
                        unpack(x.getActiveState().getListener(), Listener.class), Section.DYNAMIC_ACTIVE));
            } else if (section.is(RoutesConfigDump.class)) {
                RoutesConfigDump d = unpack(section, RoutesConfigDump.class);
                d.getStaticRouteConfigsList().forEach(s -> c.route(unpack(s.getRouteConfig(), RouteConfiguration.class),
                        Section.STATIC));
                d.getDynamicRouteConfigsList().forEach(x -> c.route(unpack(x.getRouteConfig(),
                        RouteConfiguration.class), Section.DYNAMIC_ACTIVE));
            } else if (section.is(EndpointsConfigDump.class)) {
                EndpointsConfigDump d = unpack(section, EndpointsConfigDump.class);
                d.getStaticEndpointConfigsList().forEach(s -> c.endpoints(
                        unpack(s.getEndpointConfig(), ClusterLoadAssignment.class), Section.STATIC));
                d.getDynamicEndpointConfigsList().forEach(x -> c.endpoints(
                        unpack(x.getEndpointConfig(), ClusterLoadAssignment.class), Section.DYNAMIC_ACTIVE));
            }
        }
        return c.build();
    }

    private static <T extends Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("config dump holds a malformed " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Keeps active and static resources apart, to list the dynamic ones first as istioctl does. */
    private static final class Collector implements DumpVisitor {
        private final List<Cluster> dynamicClusters = new ArrayList<>();
        private final List<Cluster> staticClusters = new ArrayList<>();
        private final List<Listener> dynamicListeners = new ArrayList<>();
        private final List<Listener> staticListeners = new ArrayList<>();
        private final List<RouteConfiguration> dynamicRoutes = new ArrayList<>();
        private final List<RouteConfiguration> staticRoutes = new ArrayList<>();
        private final List<ClusterLoadAssignment> dynamicEndpoints = new ArrayList<>();
        private final List<ClusterLoadAssignment> staticEndpoints = new ArrayList<>();
        private DumpNode node;
        private int secrets;
        private final Set<Kind> kinds;

        Collector(Set<Kind> kinds) {
            this.kinds = kinds.contains(Kind.ROUTES) ? union(kinds, Kind.LISTENERS) : Set.copyOf(kinds);
        }

        private static Set<Kind> union(Set<Kind> kinds, Kind extra) {
            EnumSet<Kind> all = EnumSet.copyOf(kinds);
            all.add(extra);
            return all;
        }

        @Override
        public void node(DumpNode n) {
            node = n;
        }

        @Override
        public void secret(String name, Section section) {
            if (section.isDynamic()) {
                secrets++;
            }
        }

        @Override
        public void cluster(Cluster cluster, Section section) {
            if (kinds.contains(Kind.CLUSTERS)) {
                add(section, cluster, dynamicClusters, staticClusters);
            }
        }

        @Override
        public void listener(Listener listener, Section section) {
            if (kinds.contains(Kind.LISTENERS)) {
                add(section, listener, dynamicListeners, staticListeners);
            }
        }

        @Override
        public void route(RouteConfiguration route, Section section) {
            if (kinds.contains(Kind.ROUTES)) {
                add(section, route, dynamicRoutes, staticRoutes);
            }
        }

        @Override
        public void endpoints(ClusterLoadAssignment assignment, Section section) {
            if (kinds.contains(Kind.ENDPOINTS)) {
                add(section, assignment, dynamicEndpoints, staticEndpoints);
            }
        }

        private static <T> void add(Section section, T item, List<T> dynamic, List<T> fixed) {
            if (section == Section.DYNAMIC_ACTIVE) {
                dynamic.add(item);
            } else if (section == Section.STATIC) {
                fixed.add(item);
            }
        }

        DumpedConfig build() {
            List<Listener> listeners = concat(dynamicListeners, staticListeners);
            List<RouteConfiguration> inline = !kinds.contains(Kind.ROUTES) ? List.of()
                    : staticRoutes.isEmpty() ? inlineRoutes(listeners) : staticRoutes;
            return new DumpedConfig(concat(dynamicClusters, staticClusters), listeners,
                    concat(dynamicRoutes, inline), concat(dynamicEndpoints, staticEndpoints),
                    Optional.ofNullable(node), secrets);
        }

        /**
         * The route configurations written inline in the listeners' connection managers, one per connection
         * manager, in listener and chain order: what Envoy lists as {@code static_route_configs}. A control plane's
         * view of what it sent (meshpilot's {@code --registry}/{@code --server}, istiod's debug dump) has none, so
         * a dump without static route configurations gets them from its listeners and the route table shows the
         * same rows istioctl shows for the Envoy that holds those listeners.
         */
        private static List<RouteConfiguration> inlineRoutes(List<Listener> listeners) {
            List<RouteConfiguration> inline = new ArrayList<>();
            for (Listener listener : listeners) {
                for (var chain : ListenerTable.filterChains(listener)) {
                    for (var filter : chain.getFiltersList()) {
                        if (!ListenerTable.HCM.equals(filter.getName())) {
                            continue;
                        }
                        try {
                            var hcm = io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3
                                    .HttpConnectionManager.parseFrom(filter.getTypedConfig().getValue());
                            if (hcm.hasRouteConfig()) {
                                inline.add(hcm.getRouteConfig());
                            }
                        } catch (InvalidProtocolBufferException e) {
                            // a connection manager that does not parse has no route to show
                        }
                    }
                }
            }
            return inline;
        }

        private static <T> List<T> concat(List<T> a, List<T> b) {
            List<T> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }
    }
}
