package dev.meshpilot.xds.inspect;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.listener.v3.AdditionalAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code proxy-config listeners}: istioctl's listener table. Verbose (istioctl's default): one row per filter chain
 * (the default chain last) with {@code ADDRESSES PORT MATCH DESTINATION}, chains ordered by destination descending;
 * {@code --verbose=false}: {@code ADDRESSES PORT TYPE}. Listeners ordered by port, address, type (Go's sort),
 * tabwriter padding 1. A chain's destination comes from its first HTTP connection manager or TCP proxy filter
 * (recognised by filter name, as istioctl does); a TCP proxy whose config mentions {@code BlackHoleCluster} is
 * skipped, so such a chain prints {@code Non-HTTP/Non-TCP}. An inline route configuration that sends everything
 * ({@code *}, prefix {@code /}) to one cluster prints {@code Cluster: NAME} (or the bare name of a fixed
 * {@code ...Cluster}). Listeners without filter chains (proxyless gRPC API listeners) have no verbose rows.
 */
public final class ListenerTable {

    static final String HCM = "envoy.filters.network.http_connection_manager";
    static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
    private static final String BLACK_HOLE = "BlackHoleCluster";

    private static final Map<String, List<String>> PROTOCOL_NAMES = Map.of(
            "App: HTTP TLS", List.of("http/1.0", "http/1.1", "h2c", "istio-http/1.0", "istio-http/1.1", "istio-h2"),
            "App: Istio HTTP Plain", List.of("istio", "istio-http/1.0", "istio-http/1.1", "istio-h2"),
            "App: TCP TLS", List.of("istio-peer-exchange", "istio"),
            "App: HTTP", List.of("http/1.0", "http/1.1", "h2c"));

    private ListenerTable() {
    }

    public static String render(List<Listener> listeners) {
        return render(listeners, ListenerFilter.ALL, true, false);
    }

    /** The listeners a filter keeps, in the dump's order (istioctl's {@code -o json} does not sort them). */
    public static List<Listener> select(List<Listener> listeners, ListenerFilter filter) {
        return listeners.stream().filter(l -> matches(filter, l)).toList();
    }

    /**
     * @param verbose   istioctl's {@code --verbose} (default true): a row per filter chain
     * @param withNames a {@code NAME} column of {@code listener/NAME}, as {@code proxy-config all} prints
     */
    public static String render(List<Listener> listeners, ListenerFilter filter, boolean verbose, boolean withNames) {
        List<Listener> sorted = new ArrayList<>(select(listeners, filter));
        GoSort.slice(sorted, ListenerTable::less);
        TabTable table = new TabTable(1);
        List<String> header = new ArrayList<>(List.of("ADDRESSES", "PORT"));
        if (withNames) {
            header.add(0, "NAME");
        }
        header.addAll(verbose ? List.of("MATCH", "DESTINATION") : List.of("TYPE"));
        table.row(header.toArray(String[]::new));
        for (Listener listener : sorted) {
            List<String> addresses = new ArrayList<>();
            addresses.add(address(listener));
            addresses.addAll(additionalAddresses(listener));
            String joined = String.join(",", addresses);
            String port = Long.toString(port(listener));
            if (verbose) {
                List<String[]> chains = new ArrayList<>();
                for (FilterChain chain : filterChains(listener)) {
                    chains.add(new String[] {match(chain.getFilterChainMatch()), destination(chain.getFiltersList())});
                }
                GoSort.slice(chains, (a, b) -> a[1].compareTo(b[1]) > 0);
                for (String[] chain : chains) {
                    row(table, withNames, listener, joined, port, chain[0], chain[1]);
                }
            } else {
                row(table, withNames, listener, joined, port, type(listener));
            }
        }
        return table.render();
    }

    private static void row(TabTable table, boolean withNames, Listener listener, String... cells) {
        if (!withNames) {
            table.row(cells);
            return;
        }
        String[] all = new String[cells.length + 1];
        all[0] = "listener/" + listener.getName();
        System.arraycopy(cells, 0, all, 1, cells.length);
        table.row(all);
    }

    private static boolean less(Listener a, Listener b) {
        long pa = port(a);
        long pb = port(b);
        if (pa != pb) {
            return pa < pb;
        }
        String aa = address(a);
        String ab = address(b);
        if (!aa.equals(ab)) {
            return aa.compareTo(ab) < 0;
        }
        return type(a).compareTo(type(b)) < 0;
    }

    private static boolean matches(ListenerFilter filter, Listener listener) {
        if (!filter.address().isEmpty()) {
            List<String> all = new ArrayList<>(additionalAddresses(listener));
            all.add(address(listener));
            if (all.stream().noneMatch(a -> a.equalsIgnoreCase(filter.address()))) {
                return false;
            }
        }
        if (filter.port() != 0 && port(listener) != filter.port()) {
            return false;
        }
        return filter.type().isEmpty() || type(listener).equalsIgnoreCase(filter.type());
    }

    static List<FilterChain> filterChains(Listener listener) {
        List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
        if (listener.hasDefaultFilterChain()) {
            chains.add(listener.getDefaultFilterChain());
        }
        return chains;
    }

    /** {@code HTTP}, {@code TCP}, {@code HTTP+TCP} or {@code UNKNOWN}, as istioctl classifies a listener. */
    static String type(Listener listener) {
        int http = 0;
        int tcp = 0;
        for (FilterChain chain : filterChains(listener)) {
            for (Filter filter : chain.getFiltersList()) {
                if (HCM.equals(filter.getName())) {
                    http++;
                } else if (TCP_PROXY.equals(filter.getName()) && !mentionsBlackHole(filter)) {
                    tcp++;
                }
            }
        }
        if (http > 0) {
            return tcp == 0 ? "HTTP" : "HTTP+TCP";
        }
        return tcp > 0 ? "TCP" : "UNKNOWN";
    }

    private static boolean mentionsBlackHole(Filter filter) {
        return filter.getTypedConfig().getValue().toString(StandardCharsets.ISO_8859_1).contains(BLACK_HOLE);
    }

    static String address(Listener listener) {
        Address address = listener.getAddress();
        if (address.hasSocketAddress()) {
            return address.getSocketAddress().getAddress();
        }
        if (address.hasPipe()) {
            return address.getPipe().getPath();
        }
        return "";
    }

    private static List<String> additionalAddresses(Listener listener) {
        List<String> all = new ArrayList<>();
        for (AdditionalAddress a : listener.getAdditionalAddressesList()) {
            all.add(a.getAddress().getSocketAddress().getAddress());
        }
        return all;
    }

    static long port(Listener listener) {
        return Integer.toUnsignedLong(listener.getAddress().getSocketAddress().getPortValue());
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
            String named = PROTOCOL_NAMES.entrySet().stream()
                    .filter(e -> e.getValue().equals(m.getApplicationProtocolsList()))
                    .map(Map.Entry::getKey).findFirst()
                    .orElse("App: " + String.join(",", m.getApplicationProtocolsList()));
            parts.add(named);
        }
        String port = m.hasDestinationPort() ? ":" + Integer.toUnsignedLong(m.getDestinationPort().getValue()) : "";
        if (m.getPrefixRangesCount() > 0) {
            parts.add("Addr: " + m.getPrefixRangesList().stream()
                    .map(r -> r.getAddressPrefix() + "/" + Integer.toUnsignedLong(r.getPrefixLen().getValue()))
                    .collect(Collectors.joining(",")) + port);
        } else if (!port.isEmpty()) {
            parts.add("Addr: *" + port);
        }
        return parts.isEmpty() ? "ALL" : String.join("; ", parts);
    }

    static String destination(List<Filter> filters) {
        for (Filter filter : filters) {
            if (HCM.equals(filter.getName())) {
                HttpConnectionManager hcm;
                try {
                    hcm = HttpConnectionManager.parseFrom(filter.getTypedConfig().getValue());
                } catch (InvalidProtocolBufferException e) {
                    return e.getMessage();
                }
                if (hcm.hasRouteConfig()) {
                    return describeRouteConfig(hcm.getRouteConfig());
                }
                if (!hcm.getRds().getRouteConfigName().isEmpty()) {
                    return "Route: " + hcm.getRds().getRouteConfigName();
                }
                return "HTTP";
            }
            if (TCP_PROXY.equals(filter.getName()) && !mentionsBlackHole(filter)) {
                TcpProxy tcp;
                try {
                    tcp = TcpProxy.parseFrom(filter.getTypedConfig().getValue());
                } catch (InvalidProtocolBufferException e) {
                    return e.getMessage();
                }
                return clusterCell(tcp.getCluster());
            }
        }
        return "Non-HTTP/Non-TCP";
    }

    private static String clusterCell(String cluster) {
        return cluster.contains("Cluster") ? cluster : "Cluster: " + cluster;
    }

    private static String describeRouteConfig(RouteConfiguration route) {
        String cluster = matchAllCluster(route);
        if (!cluster.isEmpty()) {
            return cluster;
        }
        List<String> vhosts = new ArrayList<>();
        for (VirtualHost vh : route.getVirtualHostsList()) {
            String domains = vh.getDomainsList().equals(List.of("*")) ? "" : String.join("/", vh.getDomainsList());
            String routes = vh.getRoutesList().stream().map(r -> RouteTable.describeMatch(r.getMatch()))
                    .collect(Collectors.joining(", "));
            vhosts.add(domains.isEmpty() ? routes : domains + " " + routes);
        }
        return "Inline Route: " + String.join("; ", vhosts);
    }

    private static String matchAllCluster(RouteConfiguration route) {
        if (route.getVirtualHostsCount() != 1) {
            return "";
        }
        VirtualHost vh = route.getVirtualHosts(0);
        if (!vh.getDomainsList().equals(List.of("*")) || vh.getRoutesCount() != 1) {
            return "";
        }
        Route r = vh.getRoutes(0);
        if (!"/".equals(r.getMatch().getPrefix()) || !r.hasRoute()
                || r.getRoute().getClusterSpecifierCase() != io.envoyproxy.envoy.config.route.v3.RouteAction
                .ClusterSpecifierCase.CLUSTER) {
            return "";
        }
        return clusterCell(r.getRoute().getCluster());
    }
}
