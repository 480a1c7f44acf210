package dev.meshpilot.insight.footprint;

/** Serialized bytes of the resources one proxy is served, per xDS type (the sizes sent on the wire). */
public record XdsBytes(long clusters, long endpoints, long listeners, long routes) {

    public static final XdsBytes NONE = new XdsBytes(0, 0, 0, 0);

    public long total() {
        return clusters + endpoints + listeners + routes;
    }

    /** These bytes times a replica count (every replica holds its own copy). */
    public XdsBytes times(long replicas) {
        return new XdsBytes(clusters * replicas, endpoints * replicas, listeners * replicas, routes * replicas);
    }

    public XdsBytes plus(XdsBytes other) {
        return new XdsBytes(clusters + other.clusters, endpoints + other.endpoints, listeners + other.listeners,
                routes + other.routes);
    }
}
