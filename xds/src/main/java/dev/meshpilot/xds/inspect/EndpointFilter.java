package dev.meshpilot.xds.inspect;

/**
 * istioctl's endpoint filters ({@code --address}, {@code --port}, {@code --cluster}, {@code --status}); address,
 * cluster and status compare case-insensitively, as istioctl compares them.
 */
public record EndpointFilter(String address, int port, String cluster, String status) {

    public static final EndpointFilter ALL = new EndpointFilter("", 0, "", "");

    public EndpointFilter {
        address = address == null ? "" : address;
        cluster = cluster == null ? "" : cluster;
        status = status == null ? "" : status;
    }

    boolean isEmpty() {
        return address.isEmpty() && port == 0 && cluster.isEmpty() && status.isEmpty();
    }
}
