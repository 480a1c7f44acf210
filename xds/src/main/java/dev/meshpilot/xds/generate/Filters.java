package dev.meshpilot.xds.generate;

import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.original_dst.v3.OriginalDst;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import java.util.List;

/** Network, HTTP and listener filters with their well-known names and typed configs. */
final class Filters {

    static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";
    static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
    static final String ROUTER = "envoy.filters.http.router";
    static final String ORIGINAL_DST = "envoy.filters.listener.original_dst";

    private Filters() {
    }

    /** The router filter, always with its typed_config (grpc-java rejects a router without one). */
    static HttpFilter router() {
        return RouterHolder.ROUTER_FILTER;
    }

    /** Built once: an immutable proto constant. */
    private static final class RouterHolder {
        static final HttpFilter ROUTER_FILTER = HttpFilter.newBuilder().setName(ROUTER)
                .setTypedConfig(Protos.pack(Router.getDefaultInstance())).build();

        private RouterHolder() {
        }
    }

    static Filter tcpProxy(String statPrefix, String cluster) {
        return tcpProxy(statPrefix, cluster, List.of());
    }

    static Filter tcpProxy(String statPrefix, String cluster, List<AccessLog> accessLogs) {
        TcpProxy proxy = TcpProxy.newBuilder().setStatPrefix(statPrefix).setCluster(cluster)
                .addAllAccessLog(accessLogs).build();
        return Filter.newBuilder().setName(TCP_PROXY).setTypedConfig(Protos.pack(proxy)).build();
    }

    /** A connection manager fetching route configuration {@code routeConfigName} over ADS. */
    static HttpConnectionManager rdsManager(String statPrefix, String routeConfigName, boolean zeroInitialFetchTimeout) {
        return HttpConnectionManager.newBuilder()
                .setStatPrefix(statPrefix)
                .setRds(Rds.newBuilder()
                        .setConfigSource(Protos.ads(zeroInitialFetchTimeout))
                        .setRouteConfigName(routeConfigName))
                .addHttpFilters(router())
                .build();
    }

    /** A connection manager with its routes inline (virtualInbound's per-port chains). */
    static HttpConnectionManager inlineManager(String statPrefix, RouteConfiguration routes) {
        return HttpConnectionManager.newBuilder()
                .setStatPrefix(statPrefix)
                .setRouteConfig(routes)
                .addHttpFilters(router())
                .build();
    }

    static Filter network(HttpConnectionManager manager) {
        return Filter.newBuilder().setName(HTTP_CONNECTION_MANAGER).setTypedConfig(Protos.pack(manager)).build();
    }

    static Filter network(TcpProxy proxy) {
        return Filter.newBuilder().setName(TCP_PROXY).setTypedConfig(Protos.pack(proxy)).build();
    }

    static ListenerFilter originalDst() {
        return ListenerFilter.newBuilder().setName(ORIGINAL_DST)
                .setTypedConfig(Protos.pack(OriginalDst.getDefaultInstance())).build();
    }
}
