package dev.meshpilot.insight.model;

/**
 * What one Envoy holds, reduced to the counts the memory model charges for.
 *
 * @param clusters          all clusters (CDS)
 * @param tlsClusters       clusters with an upstream TLS transport socket (a subset of {@code clusters})
 * @param endpoints         upstream hosts over all clusters (EDS lb endpoints plus inline load assignments)
 * @param httpListeners     listeners with an HTTP connection manager in some filter chain (or an API listener)
 * @param tcpListeners      the other listeners
 * @param extraFilterChains filter chains beyond the first of every listener (Istio's virtual listeners hold many)
 * @param virtualHosts      virtual hosts over all route configurations
 * @param routes            routes over all virtual hosts (reported; the model charges per virtual host)
 */
public record ConfigCounts(int clusters, int tlsClusters, long endpoints, int httpListeners, int tcpListeners,
                           int extraFilterChains, int virtualHosts, int routes) {

    public static final ConfigCounts NONE = new ConfigCounts(0, 0, 0, 0, 0, 0, 0, 0);

    public ConfigCounts {
        requireNonNegative(clusters, "clusters");
        requireNonNegative(tlsClusters, "tlsClusters");
        requireNonNegative(endpoints, "endpoints");
        requireNonNegative(httpListeners, "httpListeners");
        requireNonNegative(tcpListeners, "tcpListeners");
        requireNonNegative(extraFilterChains, "extraFilterChains");
        requireNonNegative(virtualHosts, "virtualHosts");
        requireNonNegative(routes, "routes");
        if (tlsClusters > clusters) {
            throw new IllegalArgumentException("tlsClusters " + tlsClusters + " > clusters " + clusters);
        }
    }

    public int listeners() {
        return httpListeners + tcpListeners;
    }

    private static void requireNonNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }
}
