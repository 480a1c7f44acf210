package dev.meshpilot.xds.inspect;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import dev.meshpilot.xds.naming.IstioConfigPath;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code proxy-config routes -o short}: istioctl's verbose route table (spec R53),
 * {@code NAME VHOST NAME DOMAINS MATCH VIRTUAL SERVICE}, one row per route, routes to {@code PassthroughCluster}
 * skipped, a virtual host without routes shown as {@code /*} → {@code 404}. Route configurations with numeric
 * names come first in numeric order; the others keep their order after them.
 */
public final class RouteTable {

    private static final String PASSTHROUGH = "PassthroughCluster";

    private RouteTable() {
    }

    public static String render(List<RouteConfiguration> routeConfigs) {
        List<RouteConfiguration> sorted = new ArrayList<>(routeConfigs);
        sorted.sort((a, b) -> {
            Integer ia = numeric(a.getName());
            Integer ib = numeric(b.getName());
            if (ia != null && ib != null) {
                return Integer.compare(ia, ib);
            }
            return ia != null ? -1 : ib != null ? 1 : 0;
        });
        TabTable table = new TabTable(5);
        table.row("NAME", "VHOST NAME", "DOMAINS", "MATCH", "VIRTUAL SERVICE");
        for (RouteConfiguration config : sorted) {
            for (VirtualHost vhost : config.getVirtualHostsList()) {
                String domains = describeDomains(vhost.getDomainsList());
                if (vhost.getRoutesCount() == 0) {
                    table.row(config.getName(), vhost.getName(), domains, "/*", "404");
                    continue;
                }
                for (Route route : vhost.getRoutesList()) {
                    if (route.hasRoute() && PASSTHROUGH.equals(route.getRoute().getCluster())) {
                        continue;
                    }
                    table.row(config.getName(), vhost.getName(), domains, describeMatch(route.getMatch()),
                            virtualService(route));
                }
            }
        }
        return table.render();
    }

    private static Integer numeric(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * One domain as is; otherwise the domains without a port (IPv6 literals kept), dropping {@code X.svc.cluster.local}
     * and {@code X.svc} when {@code X} is also there, the first two shown and the rest counted.
     */
    static String describeDomains(List<String> domains) {
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

    static String describeMatch(RouteMatch match) {
        if (match.hasPrefix()) {
            return match.getPrefix() + "*";
        }
        if (match.hasPathSeparatedPrefix()) {
            return "PathPrefix:" + match.getPathSeparatedPrefix();
        }
        if (match.hasPath()) {
            return match.getPath();
        }
        if (match.hasSafeRegex()) {
            return "regex " + match.getSafeRegex().getRegex();
        }
        return "/*";
    }

    private static String virtualService(Route route) {
        Value path = route.getMetadata().getFilterMetadataOrDefault(IstioConfigPath.METADATA_FILTER,
                Struct.getDefaultInstance()).getFieldsOrDefault(IstioConfigPath.METADATA_FIELD, null);
        if (path == null) {
            return "";
        }
        return IstioConfigPath.parse(path.getStringValue()).map(IstioConfigPath::shortForm).orElse("");
    }
}
