package dev.meshpilot.xds.inspect;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code proxy-config clusters}: istioctl's cluster table ({@code SERVICE FQDN PORT SUBSET DIRECTION TYPE
 * DESTINATION RULE}, tabwriter padding 5). Names of more than three {@code |}-parts are split into FQDN, port,
 * subset and direction; other names (bootstrap and fixed clusters) fill the FQDN column with dashes elsewhere.
 * Rows in istioctl's order (host, subset, port, direction, with Go's sort). TYPE is the cluster's discovery type
 * as istioctl prints it: a cluster with a custom {@code cluster_type} prints {@code STATIC}, the enum's zero value.
 * {@code proxy-config all} prints a NAME column ({@code cluster/NAME}) in front.
 */
public final class ClusterTable {

    static final String HEADER = "SERVICE FQDN\tPORT\tSUBSET\tDIRECTION\tTYPE\tDESTINATION RULE";

    private ClusterTable() {
    }

    public static String render(List<Cluster> clusters) {
        return render(clusters, ClusterFilter.ALL, false);
    }

    /** The clusters a filter keeps, in istioctl's order (what {@code -o json} prints). */
    public static List<Cluster> select(List<Cluster> clusters, ClusterFilter filter) {
        List<Cluster> sorted = new ArrayList<>(clusters);
        GoSort.slice(sorted, (a, b) -> SubsetKey.less(SubsetKey.parse(a.getName()), SubsetKey.parse(b.getName())));
        return sorted.stream().filter(c -> filter.matches(c.getName())).toList();
    }

    /**
     * @param withNames prefix a {@code NAME} column of {@code cluster/NAME}, as {@code proxy-config all} does
     */
    public static String render(List<Cluster> clusters, ClusterFilter filter, boolean withNames) {
        TabTable table = new TabTable(5);
        table.row(((withNames ? "NAME\t" : "") + HEADER).split("\t", -1));
        for (Cluster cluster : select(clusters, filter)) {
            String name = cluster.getName();
            String type = cluster.getType() == Cluster.DiscoveryType.UNRECOGNIZED
                    ? Integer.toString(cluster.getTypeValue()) : cluster.getType().name();
            String rule = IstioMetadata.describeManagement(cluster.getMetadata());
            SubsetKey key = SubsetKey.parse(name);
            if (key.isSubsetKey()) {
                String subset = key.subset().isEmpty() ? "-" : key.subset();
                String[] cells = {key.host(), Integer.toString(key.port()), subset, key.direction(), type, rule};
                table.row(withNames ? prepend("cluster/" + name, cells) : cells);
            } else if (withNames && !name.isEmpty()) {
                // istioctl renames the cluster before printing, so both columns carry the prefix.
                table.row("cluster/" + name, "cluster/" + name, "-", "-", "-", type, rule);
            } else {
                table.row(name, "-", "-", "-", type, rule);
            }
        }
        return table.render();
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
