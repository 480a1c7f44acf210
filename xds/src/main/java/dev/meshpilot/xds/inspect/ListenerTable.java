package dev.meshpilot.xds.inspect;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code proxy-config listeners -o short}: istioctl's verbose listener table (spec R52): one row per filter chain
 * (the default chain included) with {@code ADDRESSES PORT MATCH DESTINATION}, tabwriter padding 1. Proxyless gRPC
 * listeners have no socket address; they print their name as the address and port 0.
 */
public final class ListenerTable {

    private ListenerTable() {
    }

    public static String render(List<Listener> listeners) {
        List<Listener> sorted = new ArrayList<>(listeners);
        sorted.sort(Comparator.comparingInt(ListenerTable::port).thenComparing(ListenerTable::addresses));
        TabTable table = new TabTable(1);
        table.row("ADDRESSES", "PORT", "MATCH", "DESTINATION");
        for (Listener listener : sorted) {
            String addresses = addresses(listener);
            String port = Integer.toString(port(listener));
            List<String[]> chains = new ArrayList<>();
            for (FilterChain chain : listener.getFilterChainsList()) {
                chains.add(new String[] {addresses, port, match(chain.getFilterChainMatch()), destination(chain)});
            }
            if (listener.hasDefaultFilterChain()) {
                chains.add(new String[] {addresses, port, "ALL", destination(listener.getDefaultFilterChain())});
            }
            if (listener.hasApiListener()) {
                chains.add(new String[] {addresses, port, "ALL", apiListenerDestination(listener)});
            }
            chains.sort(Comparator.comparing((String[] c) -> c[3]).reversed());
            chains.forEach(table::row);
        }
        return table.render();
    }

    private static int port(Listener listener) {
        return listener.getAddress().hasSocketAddress() ? listener.getAddress().getSocketAddress().getPortValue() : 0;
    }

    private static String addresses(Listener listener) {
        if (!listener.getAddress().hasSocketAddress()) {
            return listener.getAddress().hasPipe() ? listener.getAddress().getPipe().getPath() : listener.getName();
        }
        List<String> all = new ArrayList<>();
        all.add(listener.getAddress().getSocketAddress().getAddress());
        listener.getAdditionalAddressesList().stream()
                .filter(a -> a.getAddress().hasSocketAddress())
                .map(a -> a.getAddress().getSocketAddress().getAddress())
                .forEach(all::add);
        return String.join(",", all);
    }

    static String match(FilterChainMatch m) {
        List<String> parts = new ArrayList<>();
        if (m.getServerNamesCount() > 0) {
            parts.add("SNI: " + String.join(",", m.getServerNamesList()));
        }
        if (!m.getTransportProtocol().isEmpty()) {
            parts.add("Trans: " + m.getTransportProtocol());
        }
        if (m.getApplicationProtocolsCount() > 0) {
            parts.add("App: " + applicationProtocols(m.getApplicationProtocolsList()));
        }
        String port = m.hasDestinationPort() ? ":" + m.getDestinationPort().getValue() : "";
        if (m.getPrefixRangesCount() > 0) {
            parts.add("Addr: " + m.getPrefixRangesList().stream().map(ListenerTable::cidr)
                    .collect(Collectors.joining(",")) + port);
        } else if (!port.isEmpty()) {
            parts.add("Addr: *" + port);
        }
        return parts.isEmpty() ? "ALL" : String.join("; ", parts);
    }

    private static String applicationProtocols(List<String> protocols) {
        String joined = String.join(",", protocols);
        return switch (joined) {
            case "http/1.0,http/1.1,h2c" -> "HTTP";
            case "http/1.0,http/1.1,h2c,istio-http/1.0,istio-http/1.1,istio-h2" -> "HTTP TLS";
            case "istio,istio-peer-exchange,istio-http/1.0,istio-http/1.1,istio-h2" -> "Istio HTTP Plain";
            case "istio-peer-exchange,istio" -> "TCP TLS";
            default -> joined;
        };
    }

    private static String cidr(CidrRange range) {
        return range.getAddressPrefix() + "/" + range.getPrefixLen().getValue();
    }

    private static String destination(FilterChain chain) {
        for (Filter filter : chain.getFiltersList()) {
            Any config = filter.getTypedConfig();
            if (config.is(HttpConnectionManager.class)) {
                return httpDestination(unpack(config, HttpConnectionManager.class));
            }
            if (config.is(TcpProxy.class)) {
                String cluster = unpack(config, TcpProxy.class).getCluster();
                return cluster.contains("Cluster") ? cluster : "Cluster: " + cluster;
            }
        }
        return "Non-HTTP/Non-TCP";
    }

    private static String apiListenerDestination(Listener listener) {
        Any config = listener.getApiListener().getApiListener();
        return config.is(HttpConnectionManager.class)
                ? httpDestination(unpack(config, HttpConnectionManager.class)) : "Non-HTTP/Non-TCP";
    }

    private static String httpDestination(HttpConnectionManager hcm) {
        if (hcm.hasRds()) {
            return "Route: " + hcm.getRds().getRouteConfigName();
        }
        if (hcm.hasRouteConfig()) {
            RouteConfiguration inline = hcm.getRouteConfig();
            if (inline.getVirtualHostsCount() == 1 && inline.getVirtualHosts(0).getRoutesCount() == 1) {
                Route route = inline.getVirtualHosts(0).getRoutes(0);
                boolean catchAll = inline.getVirtualHosts(0).getDomainsList().contains("*")
                        || "/".equals(route.getMatch().getPrefix());
                if (catchAll && route.hasRoute() && !route.getRoute().getCluster().isEmpty()) {
                    return route.getRoute().getCluster();
                }
            }
            return "Inline Route: " + inline.getName();
        }
        return "Non-HTTP/Non-TCP";
    }

    private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed " + any.getTypeUrl() + ": " + e.getMessage(), e);
        }
    }
}
