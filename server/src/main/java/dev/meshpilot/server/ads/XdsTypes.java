package dev.meshpilot.server.ads;

import java.util.List;
import java.util.Map;

/**
 * The xDS resource types this server serves, in the order updates go out (CDS, EDS, LDS, RDS: nothing is sent
 * before what it references), with the short names operators know them by.
 */
public final class XdsTypes {
    public static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public static final String ENDPOINT = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    public static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public static final String ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";

    /** Served types in push order. */
    public static final List<String> PUSH_ORDER = List.of(CLUSTER, ENDPOINT, LISTENER, ROUTE);

    private static final Map<String, String> SHORT = Map.of(CLUSTER, "CDS", ENDPOINT, "EDS", LISTENER, "LDS", ROUTE, "RDS");

    private XdsTypes() {
    }

    public static boolean isServed(String typeUrl) {
        return SHORT.containsKey(typeUrl);
    }

    /** {@code CDS}, {@code EDS}, {@code LDS}, {@code RDS}; the type URL itself for anything else. */
    public static String shortName(String typeUrl) {
        return SHORT.getOrDefault(typeUrl, typeUrl);
    }

    /** Position in {@link #PUSH_ORDER}; unknown types sort last. */
    static int pushRank(String typeUrl) {
        int i = PUSH_ORDER.indexOf(typeUrl);
        return i < 0 ? PUSH_ORDER.size() : i;
    }

    /** Types whose SotW subscription with no names means "everything" (Envoy's wildcard types). */
    static boolean isWildcardByDefault(String typeUrl) {
        return CLUSTER.equals(typeUrl) || LISTENER.equals(typeUrl);
    }
}
