package dev.meshpilot.server.debug;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.meshpilot.server.ads.ConnectionStatus;
import dev.meshpilot.server.ads.TypeStatus;
import dev.meshpilot.server.ads.VersionedResource;
import dev.meshpilot.server.ads.XdsTypes;
import dev.meshpilot.xds.json.XdsTypeRegistry;
import io.envoyproxy.envoy.admin.v3.BootstrapConfigDump;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EcdsConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.admin.v3.ScopedRoutesConfigDump;
import io.envoyproxy.envoy.admin.v3.SecretsConfigDump;

import java.util.Map;

/**
 * The Envoy config dump of what a stream was sent (R58): bootstrap (empty), clusters, endpoints (only when
 * asked), listeners, scoped routes (empty), routes, secrets (empty), each with the version last sent.
 */
final class ConfigDumpBuilder {
    private static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
            .add(XdsTypeRegistry.types())
            .add(BootstrapConfigDump.getDescriptor()).add(ScopedRoutesConfigDump.getDescriptor())
            .add(SecretsConfigDump.getDescriptor()).add(EcdsConfigDump.getDescriptor())
            .build();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(TYPES);

    private ConfigDumpBuilder() {
    }

    static ConfigDump of(ConnectionStatus status, boolean includeEds) {
        ConfigDump.Builder dump = ConfigDump.newBuilder();
        dump.addConfigs(Any.pack(BootstrapConfigDump.getDefaultInstance()));

        String cdsVersion = version(status, XdsTypes.CLUSTER);
        ClustersConfigDump.Builder clusters = ClustersConfigDump.newBuilder().setVersionInfo(cdsVersion);
        for (VersionedResource r : sent(status, XdsTypes.CLUSTER).values()) {
            clusters.addDynamicActiveClusters(ClustersConfigDump.DynamicCluster.newBuilder()
                    .setVersionInfo(cdsVersion).setCluster(r.body()));
        }
        dump.addConfigs(Any.pack(clusters.build()));

        if (includeEds) {
            String edsVersion = version(status, XdsTypes.ENDPOINT);
            EndpointsConfigDump.Builder endpoints = EndpointsConfigDump.newBuilder();
            for (VersionedResource r : sent(status, XdsTypes.ENDPOINT).values()) {
                endpoints.addDynamicEndpointConfigs(EndpointsConfigDump.DynamicEndpointConfig.newBuilder()
                        .setVersionInfo(edsVersion).setEndpointConfig(r.body()));
            }
            dump.addConfigs(Any.pack(endpoints.build()));
        }

        String ldsVersion = version(status, XdsTypes.LISTENER);
        ListenersConfigDump.Builder listeners = ListenersConfigDump.newBuilder().setVersionInfo(ldsVersion);
        for (VersionedResource r : sent(status, XdsTypes.LISTENER).values()) {
            listeners.addDynamicListeners(ListenersConfigDump.DynamicListener.newBuilder().setName(r.name())
                    .setActiveState(ListenersConfigDump.DynamicListenerState.newBuilder()
                            .setVersionInfo(ldsVersion).setListener(r.body())));
        }
        dump.addConfigs(Any.pack(listeners.build()));
        dump.addConfigs(Any.pack(ScopedRoutesConfigDump.getDefaultInstance()));

        String rdsVersion = version(status, XdsTypes.ROUTE);
        RoutesConfigDump.Builder routes = RoutesConfigDump.newBuilder();
        for (VersionedResource r : sent(status, XdsTypes.ROUTE).values()) {
            routes.addDynamicRouteConfigs(RoutesConfigDump.DynamicRouteConfig.newBuilder()
                    .setVersionInfo(rdsVersion).setRouteConfig(r.body()));
        }
        dump.addConfigs(Any.pack(routes.build()));
        dump.addConfigs(Any.pack(SecretsConfigDump.getDefaultInstance()));
        return dump.build();
    }

    /** Proto3 JSON with camelCase field names, as istiod serves it. */
    static String json(ConfigDump dump) {
        try {
            return PRINTER.print(dump);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a sent resource holds a type missing from the type registry", e);
        }
    }

    private static Map<String, VersionedResource> sent(ConnectionStatus status, String type) {
        return status.sent().ofType(type);
    }

    private static String version(ConnectionStatus status, String type) {
        TypeStatus t = status.types().get(type);
        return t == null ? "" : t.sentVersion();
    }
}
