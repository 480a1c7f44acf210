package dev.meshpilot.xds.inspect;

import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import dev.meshpilot.xds.naming.ClusterName;
import dev.meshpilot.xds.naming.IstioConfigPath;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code proxy-config clusters -o short}: istioctl's cluster table (spec R51). Subset-key names are split into
 * FQDN, port, subset and direction; other names (fixed clusters) fill the FQDN column with dashes elsewhere.
 * Sorted by hostname, subset, port, direction in byte order, so inbound rows (empty hostname) come first.
 */
public final class ClusterTable {

    static final String HEADER = "SERVICE FQDN\tPORT\tSUBSET\tDIRECTION\tTYPE\tDESTINATION RULE";

    private ClusterTable() {
    }

    public static String render(List<Cluster> clusters) {
        TabTable table = new TabTable(5);
        table.row(HEADER.split("\t"));
        clusters.stream().map(ClusterTable::rowOf).sorted(Row.ORDER).forEach(r -> table.row(r.cells()));
        return table.render();
    }

    private static Row rowOf(Cluster cluster) {
        String type = discoveryType(cluster);
        String rule = destinationRule(cluster).orElse("");
        Optional<ClusterName> parsed = ClusterName.parse(cluster.getName());
        if (parsed.isEmpty()) {
            return new Row(cluster.getName(), -1, "", "", new String[] {cluster.getName(), "-", "-", "-", type, rule});
        }
        ClusterName name = parsed.get();
        String direction = name.direction().prefix();
        return new Row(name.hostname(), name.port(), name.subset(), direction, new String[] {
                name.hostname(), Integer.toString(name.port()), name.hasSubset() ? name.subset() : "-", direction,
                type, rule});
    }

    private static String discoveryType(Cluster cluster) {
        if (cluster.hasClusterType()) {
            return cluster.getClusterType().getName();
        }
        return cluster.getType().name();
    }

    private static Optional<String> destinationRule(Cluster cluster) {
        Value path = cluster.getMetadata().getFilterMetadataOrDefault(IstioConfigPath.METADATA_FILTER,
                com.google.protobuf.Struct.getDefaultInstance()).getFieldsOrDefault(IstioConfigPath.METADATA_FIELD, null);
        if (path == null) {
            return Optional.empty();
        }
        return IstioConfigPath.parse(path.getStringValue()).map(IstioConfigPath::shortForm);
    }

    private record Row(String host, int port, String subset, String direction, String[] cells) {
        static final Comparator<Row> ORDER = Comparator.comparing(Row::host)
                .thenComparing(Row::subset)
                .thenComparingInt(Row::port)
                .thenComparing(Row::direction);
    }
}
