package dev.meshpilot.xds.json;

import com.google.protobuf.Any;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.ResourceSet;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;

/**
 * Envoy admin config dumps of a proxy's resources, as {@code /config_dump} shows dynamic resources: every
 * resource under its type's section with the set version as {@code version_info}. {@code last_updated} is left
 * out so the dump is a pure function of the resources. Section order follows Envoy's: clusters, listeners,
 * routes, endpoints.
 */
public final class ConfigDumps {

    private ConfigDumps() {
    }

    public static ConfigDump of(ProxyResources resources) {
        return ConfigDump.newBuilder()
                .addConfigs(Any.pack(clusters(resources.clusters())))
                .addConfigs(Any.pack(listeners(resources.listeners())))
                .addConfigs(Any.pack(routes(resources.routes())))
                .addConfigs(Any.pack(endpoints(resources.endpoints())))
                .build();
    }

    public static ClustersConfigDump clusters(ResourceSet set) {
        ClustersConfigDump.Builder dump = ClustersConfigDump.newBuilder().setVersionInfo(set.version());
        for (XdsResource r : set.resources()) {
            dump.addDynamicActiveClusters(ClustersConfigDump.DynamicCluster.newBuilder()
                    .setVersionInfo(set.version())
                    .setCluster(r.toAny()));
        }
        return dump.build();
    }

    public static ListenersConfigDump listeners(ResourceSet set) {
        ListenersConfigDump.Builder dump = ListenersConfigDump.newBuilder().setVersionInfo(set.version());
        for (XdsResource r : set.resources()) {
            dump.addDynamicListeners(ListenersConfigDump.DynamicListener.newBuilder()
                    .setName(r.name())
                    .setActiveState(ListenersConfigDump.DynamicListenerState.newBuilder()
                            .setVersionInfo(set.version())
                            .setListener(r.toAny())));
        }
        return dump.build();
    }

    public static RoutesConfigDump routes(ResourceSet set) {
        RoutesConfigDump.Builder dump = RoutesConfigDump.newBuilder();
        for (XdsResource r : set.resources()) {
            dump.addDynamicRouteConfigs(RoutesConfigDump.DynamicRouteConfig.newBuilder()
                    .setVersionInfo(set.version())
                    .setRouteConfig(r.toAny()));
        }
        return dump.build();
    }

    public static EndpointsConfigDump endpoints(ResourceSet set) {
        EndpointsConfigDump.Builder dump = EndpointsConfigDump.newBuilder();
        for (XdsResource r : set.resources()) {
            dump.addDynamicEndpointConfigs(EndpointsConfigDump.DynamicEndpointConfig.newBuilder()
                    .setVersionInfo(set.version())
                    .setEndpointConfig(r.toAny()));
        }
        return dump.build();
    }
}
