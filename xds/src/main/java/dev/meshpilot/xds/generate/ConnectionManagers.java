package dev.meshpilot.xds.generate;

import com.google.protobuf.BoolValue;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.grpc_stats.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.RequestIDExtension;
import io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP connection managers of Envoy sidecars, with istiod 1.29's defaults
 * ({@code ListenerBuilder.buildHTTPConnectionManager}, {@code buildSidecarOutboundHTTPListenerOpts},
 * {@code buildSidecarInboundHTTPOpts}) and HTTP filters in Istio's order:
 * <pre>
 * outbound: istio.metadata_exchange*, grpc_stats, istio.alpn*, fault, cors, istio.stats*, router
 * inbound:  istio.metadata_exchange*, grpc_stats,              fault, cors, istio.stats*, router
 * </pre>
 * (* istio-proxy only: {@link ProxyKind#hasIstioExtensions()}). Defaults of both directions: websocket upgrades,
 * {@code stream_idle_timeout: 0s}, {@code normalize_path: true}, escaped slashes kept, {@code use_remote_address:
 * false}, a UUID request id extension that also drives trace sampling, 100-continue proxied, an empty access log
 * list unless learning asks for one. Inbound adds {@code server_name: istio-envoy}, {@code APPEND_FORWARD} client
 * cert details with subject, URI and DNS of the current cert, and HTTP/2 options on HTTP/2 and gRPC ports.
 * Tracing is not configured (Istio adds it from MeshConfig/Telemetry tracing providers, which meshpilot does not read).
 */
final class ConnectionManagers {

    /** Inbound {@code server_name} (Istio's {@code EnvoyServerName}); outbound leaves Envoy's default. */
    static final String INBOUND_SERVER_NAME = "istio-envoy";

    static final String GRPC_STATS = "envoy.filters.http.grpc_stats";
    static final String FAULT = "envoy.filters.http.fault";
    static final String CORS = "envoy.filters.http.cors";

    private final ProxyKind kind;
    /** The HTTP filter lists, built once per kind: every HTTP listener and inbound chain repeats them. */
    private final List<HttpFilter> inboundFilters;
    private final List<HttpFilter> outboundFilters;

    /** One per kind, built once: they hold nothing but the kind and its filter lists. */
    private static final java.util.Map<ProxyKind, ConnectionManagers> BY_KIND = byKind();

    static ConnectionManagers of(ProxyKind kind) {
        return BY_KIND.get(kind);
    }

    private static java.util.Map<ProxyKind, ConnectionManagers> byKind() {
        java.util.EnumMap<ProxyKind, ConnectionManagers> out = new java.util.EnumMap<>(ProxyKind.class);
        for (ProxyKind kind : ProxyKind.values()) {
            out.put(kind, new ConnectionManagers(kind));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private ConnectionManagers(ProxyKind kind) {
        this.kind = kind;
        this.inboundFilters = List.copyOf(buildFilters(true));
        this.outboundFilters = List.copyOf(buildFilters(false));
    }

    /** The outbound connection manager of a {@code 0.0.0.0_PORT} listener, its routes from RDS. */
    HttpConnectionManager outbound(String statPrefix, String routeConfigName, List<AccessLog> accessLogs) {
        return base(statPrefix)
                .setRds(Rds.newBuilder().setConfigSource(Protos.ads(true)).setRouteConfigName(routeConfigName))
                .addAllHttpFilters(filters(false))
                .addAllAccessLog(accessLogs)
                .build();
    }

    /** An inbound connection manager of virtualInbound, with its routes inline. */
    HttpConnectionManager inbound(String statPrefix, RouteConfiguration routes, Protocol protocol) {
        HttpConnectionManager.Builder manager = base(statPrefix)
                .setRouteConfig(routes)
                .addAllHttpFilters(filters(true))
                .setServerName(INBOUND_SERVER_NAME)
                .setForwardClientCertDetails(HttpConnectionManager.ForwardClientCertDetails.APPEND_FORWARD)
                .setSetCurrentClientCertDetails(HttpConnectionManager.SetCurrentClientCertDetails.newBuilder()
                        .setSubject(BoolValue.of(true)).setUri(true).setDns(true));
        if (protocol == Protocol.HTTP2 || protocol == Protocol.GRPC || protocol == Protocol.GRPC_WEB) {
            manager.setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance());
        }
        return manager.build();
    }

    /** The HTTP filters of a connection manager of this direction, in Istio's order. */
    List<HttpFilter> filters(boolean inbound) {
        return inbound ? inboundFilters : outboundFilters;
    }

    private List<HttpFilter> buildFilters(boolean inbound) {
        boolean istio = kind.hasIstioExtensions();
        List<HttpFilter> out = new ArrayList<>();
        if (istio) {
            out.add(inbound ? IstioFilters.inboundPeerMetadata() : IstioFilters.outboundPeerMetadata());
        }
        out.add(grpcStats());
        if (istio && !inbound) {
            out.add(IstioFilters.alpn());
        }
        out.add(HttpFilter.newBuilder().setName(FAULT).setTypedConfig(Protos.pack(HTTPFault.getDefaultInstance()))
                .build());
        out.add(HttpFilter.newBuilder().setName(CORS).setTypedConfig(Protos.pack(Cors.getDefaultInstance())).build());
        if (istio) {
            out.add(IstioFilters.httpStats(inbound));
        }
        out.add(Filters.router());
        return out;
    }

    private static HttpConnectionManager.Builder base(String statPrefix) {
        return HttpConnectionManager.newBuilder()
                .setStatPrefix(statPrefix)
                .setNormalizePath(BoolValue.of(true))
                .setPathWithEscapedSlashesAction(HttpConnectionManager.PathWithEscapedSlashesAction.KEEP_UNCHANGED)
                .setUseRemoteAddress(BoolValue.of(false))
                .addUpgradeConfigs(HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"))
                .setStreamIdleTimeout(Protos.seconds(0))
                .setRequestIdExtension(RequestIDExtension.newBuilder().setTypedConfig(Protos.pack(
                        UuidRequestIdConfig.newBuilder().setUseRequestIdForTraceSampling(BoolValue.of(true)).build())))
                .setProxy100Continue(true);
    }

    private static HttpFilter grpcStats() {
        FilterConfig config = FilterConfig.newBuilder()
                .setEmitFilterState(true)
                .setStatsForAllMethods(BoolValue.of(false))
                .build();
        return HttpFilter.newBuilder().setName(GRPC_STATS).setTypedConfig(Protos.pack(config)).build();
    }
}
