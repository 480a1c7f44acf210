package dev.meshpilot.xds.inspect;

import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code proxy-config endpoints}: istioctl's endpoint table ({@code ENDPOINT STATUS OUTLIER CHECK CLUSTER}), which
 * istioctl reads from Envoy's {@code /clusters}; here it is built from the ClusterLoadAssignments the proxy holds
 * (EDS and static), so it shows what the configuration gives each cluster. STATUS is the EDS health
 * ({@code UNKNOWN} when unset, as Envoy reports it); OUTLIER CHECK is {@code OK}, since configuration alone ejects
 * nothing. Rows ordered by address, port, then cluster (Go's sort); filters as istioctl's (the address without
 * its port).
 */
public final class EndpointTable {

    private EndpointTable() {
    }

    public static String render(List<ClusterLoadAssignment> assignments) {
        return render(assignments, EndpointFilter.ALL);
    }

    public static String render(List<ClusterLoadAssignment> assignments, EndpointFilter filter) {
        List<Row> rows = new ArrayList<>();
        for (ClusterLoadAssignment cla : assignments) {
            for (LocalityLbEndpoints locality : cla.getEndpointsList()) {
                for (LbEndpoint lb : locality.getLbEndpointsList()) {
                    Row row = rowOf(cla.getClusterName(), lb);
                    if (row.matches(filter)) {
                        rows.add(row);
                    }
                }
            }
        }
        GoSort.slice(rows, Row::less);
        TabTable table = new TabTable(5);
        table.row("ENDPOINT", "STATUS", "OUTLIER CHECK", "CLUSTER");
        for (Row r : rows) {
            table.row(r.port() != 0 ? r.address() + ":" + r.port() : r.address(), r.status(), "OK", r.cluster());
        }
        return table.render();
    }

    private static Row rowOf(String cluster, LbEndpoint lb) {
        Address address = lb.getEndpoint().getAddress();
        String host;
        long port = 0;
        if (address.hasSocketAddress()) {
            host = address.getSocketAddress().getAddress();
            port = Integer.toUnsignedLong(address.getSocketAddress().getPortValue());
        } else if (address.hasPipe()) {
            host = "unix://" + address.getPipe().getPath();
        } else if (address.hasEnvoyInternalAddress() && address.getEnvoyInternalAddress().hasServerListenerName()) {
            host = "envoy://" + address.getEnvoyInternalAddress().getServerListenerName() + "/"
                    + address.getEnvoyInternalAddress().getEndpointId();
        } else {
            host = "unknown";
        }
        return new Row(host, port, statusName(lb.getHealthStatus()), cluster);
    }

    /** The health status's enum name, the number for one this build does not know. */
    static String statusName(HealthStatus status) {
        return status == HealthStatus.UNRECOGNIZED ? "UNKNOWN" : status.name();
    }

    private record Row(String address, long port, String status, String cluster) {
        boolean matches(EndpointFilter f) {
            return (f.address().isEmpty() || address.equalsIgnoreCase(f.address()))
                    && (f.port() == 0 || port == f.port())
                    && (f.cluster().isEmpty() || cluster.equalsIgnoreCase(f.cluster()))
                    && (f.status().isEmpty() || status.equalsIgnoreCase(f.status()));
        }

        static boolean less(Row a, Row b) {
            if (a.address.equals(b.address)) {
                if (a.port == b.port) {
                    return a.cluster.compareTo(b.cluster) < 0;
                }
                return a.port < b.port;
            }
            return a.address.compareTo(b.address) < 0;
        }
    }
}
