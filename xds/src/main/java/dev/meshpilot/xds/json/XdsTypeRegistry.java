package dev.meshpilot.xds.json;

import com.google.protobuf.Descriptors;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

import java.util.List;

/**
 * Every message type meshpilot puts into an {@code Any} (resources, filter configs, protocol options, config dump
 * sections), with the files they come from and those files' dependencies (protobuf's registry adds them). JSON
 * printing and the validator resolve {@code Any} through it; a generator that packs a type outside these files
 * must add it here, or the validator reports it (and printing fails).
 */
public final class XdsTypeRegistry {

    private static final List<Descriptors.Descriptor> TYPES = List.of(
            Cluster.getDescriptor(),
            ClusterLoadAssignment.getDescriptor(),
            Listener.getDescriptor(),
            RouteConfiguration.getDescriptor(),
            HttpConnectionManager.getDescriptor(),
            Router.getDescriptor(),
            TcpProxy.getDescriptor(),
            OriginalDst.getDescriptor(),
            HttpProtocolOptions.getDescriptor(),
            PreviousHostsPredicate.getDescriptor(),
            HttpGrpcAccessLogConfig.getDescriptor(),
            TcpGrpcAccessLogConfig.getDescriptor(),
            ExpressionFilter.getDescriptor(),
            com.github.udpa.udpa.type.v1.TypedStruct.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.grpc_stats.v3.FilterConfig.getDescriptor(),
            io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector.getDescriptor(),
            io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.getDescriptor(),
            io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.getDescriptor(),
            io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer.getDescriptor(),
            ConfigDump.getDescriptor(),
            ClustersConfigDump.getDescriptor(),
            ListenersConfigDump.getDescriptor(),
            RoutesConfigDump.getDescriptor(),
            EndpointsConfigDump.getDescriptor());

    private static final JsonFormat.TypeRegistry REGISTRY = JsonFormat.TypeRegistry.newBuilder().add(TYPES).build();

    private XdsTypeRegistry() {
    }

    public static JsonFormat.TypeRegistry get() {
        return REGISTRY;
    }

    /** The descriptor of a type URL's message, or null when the registry does not know it. */
    public static Descriptors.Descriptor find(String typeUrl) {
        if (typeUrl == null) {
            return null;
        }
        return REGISTRY.find(typeUrl.substring(typeUrl.lastIndexOf('/') + 1));
    }

    /** The registered message types. */
    public static List<Descriptors.Descriptor> types() {
        return TYPES;
    }
}
