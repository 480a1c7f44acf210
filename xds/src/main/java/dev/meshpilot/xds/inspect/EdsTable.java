package dev.meshpilot.xds.inspect;

import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code proxy-config eds} and the endpoint part of {@code proxy-config all}: istioctl's table of the config
 * dump's ClusterLoadAssignments ({@code NAME STATUS LOCALITY CLUSTER}, tabwriter padding 5). Each assignment keeps
 * the endpoints the filter matches and is dropped when none is left; assignments are ordered like clusters (host,
 * subset, port, direction); NAME is {@code ADDRESS:PORT} (with the additional addresses, comma-separated),
 * prefixed {@code endpoint/} in {@code all}; LOCALITY is {@code region/zone/subzone} up to the last part set.
 */
public final class EdsTable {

    private EdsTable() {
    }

    /** The assignments reduced to the endpoints the filter keeps, in istioctl's order (what {@code -o json} prints). */
    public static List<ClusterLoadAssignment> select(List<ClusterLoadAssignment> assignments, EndpointFilter filter) {
        List<ClusterLoadAssignment> kept = new ArrayList<>();
        for (ClusterLoadAssignment cla : assignments) {
            ClusterLoadAssignment.Builder filtered = cla.toBuilder();
            int count = 0;
            for (LocalityLbEndpoints.Builder locality : filtered.getEndpointsBuilderList()) {
                List<LbEndpoint> matching = locality.getLbEndpointsList().stream()
                        .filter(ep -> matches(filter, ep, cla.getClusterName())).toList();
                locality.clearLbEndpoints().addAllLbEndpoints(matching);
                count += matching.size();
            }
            if (count != 0) {
                kept.add(filter.isEmpty() ? cla : filtered.build());
            }
        }
        GoSort.slice(kept, (a, b) -> SubsetKey.less(SubsetKey.parse(a.getClusterName()),
                SubsetKey.parse(b.getClusterName())));
        return kept;
    }

    public static String render(List<ClusterLoadAssignment> assignments, EndpointFilter filter, boolean withNames) {
        TabTable table = new TabTable(5);
        table.row("NAME", "STATUS", "LOCALITY", "CLUSTER");
        for (ClusterLoadAssignment cla : select(assignments, filter)) {
            for (LocalityLbEndpoints locality : cla.getEndpointsList()) {
                for (LbEndpoint ep : locality.getLbEndpointsList()) {
                    String name = String.join(",", addresses(ep));
                    table.row(withNames ? "endpoint/" + name : name, EndpointTable.statusName(ep.getHealthStatus()),
                            locality.hasLocality() ? locality(locality.getLocality()) : "", cla.getClusterName());
                }
            }
        }
        return table.render();
    }

    static String locality(Locality l) {
        String out = l.getRegion();
        if (l.getZone().isEmpty()) {
            return out;
        }
        out += "/" + l.getZone();
        if (l.getSubZone().isEmpty()) {
            return out;
        }
        return out + "/" + l.getSubZone();
    }

    private static boolean matches(EndpointFilter f, LbEndpoint ep, String cluster) {
        if (f.isEmpty()) {
            return true;
        }
        if (!f.address().isEmpty() && addresses(ep).stream().noneMatch(a -> a.equalsIgnoreCase(f.address()))) {
            return false;
        }
        if (f.port() != 0 && ep.getEndpoint().getAddress().getSocketAddress().getPortValue() != f.port()) {
            return false;
        }
        if (!f.cluster().isEmpty() && !cluster.equalsIgnoreCase(f.cluster())) {
            return false;
        }
        return f.status().isEmpty() || EndpointTable.statusName(ep.getHealthStatus()).equalsIgnoreCase(f.status());
    }

    private static List<String> addresses(LbEndpoint ep) {
        Endpoint endpoint = ep.getEndpoint();
        List<Address> all = new ArrayList<>();
        all.add(endpoint.getAddress());
        endpoint.getAdditionalAddressesList().forEach(a -> all.add(a.getAddress()));
        List<String> out = new ArrayList<>();
        for (Address a : all) {
            if (a.hasSocketAddress()) {
                out.add(a.getSocketAddress().getAddress() + ":" + a.getSocketAddress().getPortValue());
            } else if (a.hasPipe()) {
                out.add(a.getPipe().getPath());
            } else if (a.hasEnvoyInternalAddress() && a.getEnvoyInternalAddress().hasServerListenerName()) {
                out.add("envoy://" + a.getEnvoyInternalAddress().getServerListenerName() + "/"
                        + a.getEnvoyInternalAddress().getEndpointId());
            } else {
                out.add("unknown");
            }
        }
        return out;
    }
}
