package dev.meshpilot.e2e.ads;

/** The four xDS type URLs a proxyless gRPC client asks for. */
public final class TypeUrls {

    public static final String LISTENER = "type.googleapis.com/envoy.config.listener.v3.Listener";
    public static final String ROUTE = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    public static final String CLUSTER = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    public static final String ENDPOINT = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

    private TypeUrls() {
    }
}
