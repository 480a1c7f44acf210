package dev.meshpilot.xds.inspect;

import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code proxy-config endpoints -o short}: istioctl's endpoint table (spec R54), built from the
 * ClusterLoadAssignments the control plane sends. STATUS is the EDS health ({@code UNKNOWN} when unset, as
 * Envoy reports it); OUTLIER CHECK is {@code OK} because no proxy has ejected anything in configuration alone.
 * Sorted by address, port, then cluster.
 */
public final class EndpointTable {

    private EndpointTable() {
    }

    public static String render(List<ClusterLoadAssignment> assignments) {
        List<Row> rows = new ArrayList<>();
        for (ClusterLoadAssignment cla : assignments) {
            for (LocalityLbEndpoints locality : cla.getEndpointsList()) {
                for (LbEndpoint lb : locality.getLbEndpointsList()) {
                    rows.add(rowOf(cla.getClusterName(), lb));
                }
            }
        }
        rows.sort(Row.ORDER);
        TabTable table = new TabTable(5);
        table.row("ENDPOINT", "STATUS", "OUTLIER CHECK", "CLUSTER");
        rows.forEach(r -> table.row(r.endpoint(), r.status(), "OK", r.cluster()));
        return table.render();
    }

    private static Row rowOf(String cluster, LbEndpoint lb) {
        Address address = lb.getEndpoint().getAddress();
        String host;
        int port;
        if (address.hasPipe()) {
            host = "unix://" + address.getPipe().getPath();
            port = 0;
        } else if (address.hasEnvoyInternalAddress()) {
            host = "envoy://" + address.getEnvoyInternalAddress().getServerListenerName() + "/"
                    + address.getEnvoyInternalAddress().getEndpointId();
            port = 0;
        } else {
            host = address.getSocketAddress().getAddress();
            port = address.getSocketAddress().getPortValue();
        }
        String endpoint = port == 0 && !address.hasSocketAddress() ? host : host + ":" + port;
        HealthStatus health = lb.getHealthStatus();
        return new Row(host, port, endpoint, health == HealthStatus.UNRECOGNIZED ? "UNKNOWN" : health.name(), cluster);
    }

    private record Row(String address, int port, String endpoint, String status, String cluster) {
        static final Comparator<Row> ORDER = Comparator.comparing(Row::address).thenComparingInt(Row::port)
                .thenComparing(Row::cluster);
    }
}
