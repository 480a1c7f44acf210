package dev.meshpilot.bench.client;

import java.util.List;

/** The four xDS type URLs the simulated clients speak, in the order a full config must arrive. */
public final class TypeUrls {

    public static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public static final String ENDPOINT = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    public static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public static final String ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

    public static final List<String> ALL = List.of(CLUSTER, ENDPOINT, LISTENER, ROUTE);

    private TypeUrls() {
    }

    /** CDS, EDS, LDS or RDS. */
    public static String shortName(String typeUrl) {
        return switch (typeUrl) {
            case CLUSTER -> "CDS";
            case ENDPOINT -> "EDS";
            case LISTENER -> "LDS";
            case ROUTE -> "RDS";
            default -> typeUrl;
        };
    }

    static int index(String typeUrl) {
        return switch (typeUrl) {
            case CLUSTER -> 0;
            case ENDPOINT -> 1;
            case LISTENER -> 2;
            case ROUTE -> 3;
            default -> -1;
        };
    }
}
