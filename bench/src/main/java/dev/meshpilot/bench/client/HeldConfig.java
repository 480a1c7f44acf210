package dev.meshpilot.bench.client;

/**
 * A simulated proxy's configuration at one moment, read for deciding a call's path: cluster names, and the parsed
 * routing of each held listener and route configuration (shared by resource digest among all clients).
 */
public final class HeldConfig {

    private final TypeSnapshot clusters;
    private final TypeSnapshot listeners;
    private final TypeSnapshot routes;
    private final ResourceLinks links;

    HeldConfig(TypeSnapshot clusters, TypeSnapshot listeners, TypeSnapshot routes, ResourceLinks links) {
        this.clusters = clusters;
        this.listeners = listeners;
        this.routes = routes;
        this.links = links;
    }

    public boolean hasCluster(String name) {
        return clusters.contains(name);
    }

    public int clusterCount() {
        return clusters.size();
    }

    /** A held listener's chains; null when the proxy does not hold it. */
    public Routing.Listener listener(String name) {
        return listeners.contains(name) && links.routingOf(listeners.digestOf(name)) instanceof Routing.Listener l
                ? l : null;
    }

    /** A held route configuration's virtual hosts; null when the proxy does not hold it. */
    public Routing.Routes routes(String name) {
        return routes.contains(name) && links.routingOf(routes.digestOf(name)) instanceof Routing.Routes r ? r : null;
    }
}
