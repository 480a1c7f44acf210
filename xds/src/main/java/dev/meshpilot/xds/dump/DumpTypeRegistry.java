package dev.meshpilot.xds.dump;

import com.google.protobuf.Descriptors;
import com.google.protobuf.util.JsonFormat;
import dev.meshpilot.xds.json.XdsTypeRegistry;

import java.util.ArrayList;
import java.util.List;

/**
 * The types a config dump written by Istio's or another control plane's Envoy may hold in an {@code Any}: every
 * type meshpilot generates ({@link XdsTypeRegistry}) plus the Envoy extensions Istio configures (TLS transport
 * sockets, inspectors, HTTP filters, access loggers, typed structs) and protobuf's well-known types. An {@code Any}
 * of a type not listed here (Istio's own filters such as {@code istio.stats}) is kept as an opaque struct by
 * {@link UnknownAnys}, never a parse failure.
 */
public final class DumpTypeRegistry {

    private static final List<Descriptors.Descriptor> EXTRA = List.of(
            io.envoyproxy.envoy.admin.v3.BootstrapConfigDump.getDescriptor(),
            io.envoyproxy.envoy.admin.v3.SecretsConfigDump.getDescriptor(),
            io.envoyproxy.envoy.admin.v3.ScopedRoutesConfigDump.getDescriptor(),
            io.envoyproxy.envoy.admin.v3.EcdsConfigDump.getDescriptor(),
            io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap.getDescriptor(),
            io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.getDescriptor(),
            io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext.getDescriptor(),
            io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret.getDescriptor(),
            io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer.getDescriptor(),
            io.envoyproxy.envoy.extensions.transport_sockets.internal_upstream.v3.InternalUpstreamTransport
                    .getDescriptor(),
            io.envoyproxy.envoy.extensions.transport_sockets.http_11_proxy.v3.Http11ProxyUpstreamTransport
                    .getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.listener.proxy_protocol.v3.ProxyProtocol.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.grpc_stats.v3.FilterConfig.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.network.wasm.v3.Wasm.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.lua.v3.Lua.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.health_check.v3.HealthCheck.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.http.set_filter_state.v3.Config.getDescriptor(),
            io.envoyproxy.envoy.extensions.filters.network.set_filter_state.v3.Config.getDescriptor(),
            io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.getDescriptor(),
            io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog.getDescriptor(),
            io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig.getDescriptor(),
            com.github.xds.type.v3.TypedStruct.getDescriptor(),
            com.github.udpa.udpa.type.v1.TypedStruct.getDescriptor(),
            com.google.protobuf.Struct.getDescriptor(),
            com.google.protobuf.Value.getDescriptor(),
            com.google.protobuf.ListValue.getDescriptor(),
            com.google.protobuf.Duration.getDescriptor(),
            com.google.protobuf.Timestamp.getDescriptor(),
            com.google.protobuf.Empty.getDescriptor(),
            com.google.protobuf.StringValue.getDescriptor(),
            com.google.protobuf.BoolValue.getDescriptor(),
            com.google.protobuf.UInt32Value.getDescriptor(),
            com.google.protobuf.UInt64Value.getDescriptor());

    private static final JsonFormat.TypeRegistry REGISTRY;

    static {
        List<Descriptors.Descriptor> all = new ArrayList<>(XdsTypeRegistry.types());
        all.addAll(EXTRA);
        REGISTRY = JsonFormat.TypeRegistry.newBuilder().add(all).build();
    }

    private DumpTypeRegistry() {
    }

    public static JsonFormat.TypeRegistry get() {
        return REGISTRY;
    }

    /** True when an {@code Any} of this type URL can be expanded. */
    public static boolean knows(String typeUrl) {
        return typeUrl != null && REGISTRY.find(typeUrl.substring(typeUrl.lastIndexOf('/') + 1)) != null;
    }
}
