package dev.meshpilot.xds.inspect;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code proxy-config routes}: istioctl's route table. Verbose (istioctl's default):
 * {@code NAME VHOST NAME DOMAINS MATCH VIRTUAL SERVICE}, one row per route, routes to {@code PassthroughCluster}
 * skipped, a virtual host without routes shown as {@code /*} → {@code 404}; {@code --verbose=false}:
 * {@code NAME VIRTUAL HOSTS}. The route configurations are the dump's dynamic ones then its static ones (a real
 * Envoy lists the inline route configurations of its listeners there), ordered by istioctl's "less" (both names
 * numeric and smaller) through Go's sort, so names that are not numbers stay where that algorithm leaves them.
 */
public final class RouteTable {

    private static final String PASSTHROUGH = "PassthroughCluster";

    private RouteTable() {
    }

    public static String render(List<RouteConfiguration> routeConfigs) {
        return render(routeConfigs, RouteFilter.ALL, true, false);
    }

    /** The route configurations in istioctl's order, those the filter keeps (what {@code -o json} prints). */
    public static List<RouteConfiguration> select(List<RouteConfiguration> routeConfigs, RouteFilter filter) {
        List<RouteConfiguration> sorted = new ArrayList<>(routeConfigs);
        GoSort.slice(sorted, RouteTable::less);
        return sorted.stream().filter(r -> filter.matches(r.getName())).toList();
    }

    /**
     * @param verbose   istioctl's {@code --verbose} (default true)
     * @param withNames names printed as {@code route/NAME}, as {@code proxy-config all} prints them
     */
    public static String render(List<RouteConfiguration> routeConfigs, RouteFilter filter, boolean verbose,
                                boolean withNames) {
        TabTable table = new TabTable(5);
        if (verbose) {
            table.row("NAME", "VHOST NAME", "DOMAINS", "MATCH", "VIRTUAL SERVICE");
        } else {
            table.row("NAME", "VIRTUAL HOSTS");
        }
        for (RouteConfiguration config : select(routeConfigs, filter)) {
            String name = withNames ? "route/" + config.getName() : config.getName();
            if (!verbose) {
                table.row(name, Integer.toString(config.getVirtualHostsCount()));
                continue;
            }
            for (VirtualHost vhost : config.getVirtualHostsList()) {
                String domains = describeDomains(vhost.getDomainsList());
                for (Route route : vhost.getRoutesList()) {
                    if (!isPassthrough(route)) {
                        table.row(name, vhost.getName(), domains, describeMatch(route.getMatch()),
                                IstioMetadata.describeManagement(route.getMetadata()));
                    }
                }
                if (vhost.getRoutesCount() == 0) {
                    table.row(name, vhost.getName(), domains, "/*", "404");
                }
            }
        }
        return table.render();
    }

    private static boolean less(RouteConfiguration a, RouteConfiguration b) {
        Integer ia = numeric(a.getName());
        Integer ib = numeric(b.getName());
        return ia != null && ib != null && ia < ib;
    }

    private static boolean isPassthrough(Route route) {
        return route.hasRoute() && route.getRoute().getClusterSpecifierCase() == RouteAction.ClusterSpecifierCase.CLUSTER
                && PASSTHROUGH.equals(route.getRoute().getCluster());
    }

    private static Integer numeric(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Nothing for no domains; one domain as is; otherwise the domains without a port (IPv6 literals kept),
     * dropping {@code X.svc.cluster.local} and {@code X.svc} when {@code X} is also there, the first two shown
     * and the rest counted ({@code + N more...}).
     */
    static String describeDomains(List<String> domains) {
        if (domains.isEmpty()) {
            return "";
        }
        if (domains.size() == 1) {
            return domains.get(0);
        }
        List<String> withoutPort = new ArrayList<>();
        for (String d : domains) {
            long colons = d.chars().filter(c -> c == ':').count();
            if (colons == 0 || (colons > 2 && d.endsWith("]"))) {
                withoutPort.add(d);
            }
        }
        Set<String> unique = new HashSet<>(withoutPort);
        List<String> kept = new ArrayList<>();
        for (String d : withoutPort) {
            boolean longFormOfPresentShort = (d.endsWith(".svc.cluster.local")
                    && unique.contains(d.substring(0, d.length() - ".svc.cluster.local".length())))
                    || (d.endsWith(".svc") && unique.contains(d.substring(0, d.length() - ".svc".length())));
            if (!longFormOfPresentShort) {
                kept.add(d);
            }
        }
        if (kept.size() <= 2) {
            return String.join(", ", kept);
        }
        return kept.get(0) + ", " + kept.get(1) + " + " + (kept.size() - 2) + " more...";
    }

    /** A route match as istioctl describes it (headers ignored); empty when it has none of these. */
    static String describeMatch(RouteMatch match) {
        List<String> conditions = new ArrayList<>();
        if (!match.getPrefix().isEmpty()) {
            conditions.add(match.getPrefix() + "*");
        }
        if (!match.getPathSeparatedPrefix().isEmpty()) {
            conditions.add("PathPrefix:" + match.getPathSeparatedPrefix());
        }
        if (!match.getPath().isEmpty()) {
            conditions.add(match.getPath());
        }
        if (match.hasSafeRegex()) {
            conditions.add("regex " + match.getSafeRegex().getRegex());
        }
        return String.join(" ", conditions);
    }
}
