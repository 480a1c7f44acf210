package dev.meshpilot.bench.learn;

import dev.meshpilot.bench.client.HeldConfig;
import dev.meshpilot.bench.client.Routing;

import java.util.ArrayList;
import java.util.List;

/**
 * The path a call to {@code host:port} (at {@code address}, the service VIP) takes in the configuration a simulated
 * Envoy holds, decided the way Envoy does it, reduced to what the generated sidecar config uses:
 * <ol>
 *   <li>listener: {@code ADDRESS_PORT} if held, else {@code 0.0.0.0_PORT}, else {@code virtualOutbound} (Envoy's
 *       original-destination hand-off from 15001);</li>
 *   <li>filter chain: chains with {@code destination_port} = PORT, else chains without a port; among them the
 *       longest {@code prefix_ranges} entry holding ADDRESS, else a chain without ranges; none left: the
 *       {@code default_filter_chain} (Envoy's matching order; other match fields are not generated);</li>
 *   <li>a TCP proxy's cluster, or an HTTP connection manager's route configuration (RDS, must be held), in which the
 *       virtual host whose domains hold {@code host:port} or {@code host}, else {@code *}, gives its first route's
 *       cluster;</li>
 *   <li>the cluster must be held: {@code outbound|…} is the service's own path (in scope), {@code PassthroughCluster}
 *       the fallback; {@code BlackHoleCluster}, a missing listener, chain, route configuration, virtual host or
 *       cluster is <em>no path</em> (the call fails).</li>
 * </ol>
 * Headers, weights, retries and TLS are not evaluated; the entry is HTTP when the chosen chain is an HTTP
 * connection manager, TCP otherwise (as Envoy's http_grpc / tcp_grpc loggers would report it).
 */
public record CallPath(Kind kind, String cluster, boolean httpEntry, String via) {

    /** Where the call went. */
    public enum Kind { IN_SCOPE, FALLBACK, NO_PATH }

    static final String PASSTHROUGH = "PassthroughCluster";

    public static CallPath decide(HeldConfig held, String host, int port, String address) {
        String listenerName = address + "_" + port;
        Routing.Listener listener = held.listener(listenerName);
        if (listener == null) {
            listenerName = "0.0.0.0_" + port;
            listener = held.listener(listenerName);
        }
        if (listener == null) {
            listenerName = "virtualOutbound";
            listener = held.listener(listenerName);
        }
        if (listener == null) {
            return none("no listener");
        }
        Routing.Chain chain = chain(listener, port, Routing.ipv4(address));
        if (chain == null) {
            return none(listenerName + ": no filter chain");
        }
        String via = listenerName + "/" + chain.name();
        String cluster;
        boolean http = !chain.rds().isEmpty();
        if (http) {
            Routing.Routes routes = held.routes(chain.rds());
            if (routes == null) {
                return none(via + ": route configuration " + chain.rds() + " not held");
            }
            Routing.VirtualHost vhost = virtualHost(routes, host, port);
            if (vhost == null) {
                return none(via + ": no virtual host");
            }
            via = via + "/" + vhost.name();
            cluster = vhost.cluster();
        } else {
            cluster = chain.tcpCluster();
        }
        if (cluster.isEmpty() || !held.hasCluster(cluster)) {
            return none(via + ": cluster '" + cluster + "' not held");
        }
        if (cluster.equals(PASSTHROUGH)) {
            return new CallPath(Kind.FALLBACK, cluster, http, via);
        }
        if (cluster.startsWith("outbound|")) {
            return new CallPath(Kind.IN_SCOPE, cluster, http, via);
        }
        return new CallPath(Kind.NO_PATH, cluster, http, via);
    }

    private static CallPath none(String why) {
        return new CallPath(Kind.NO_PATH, "", false, why);
    }

    static Routing.Chain chain(Routing.Listener listener, int port, long ip) {
        List<Routing.Chain> candidates = new ArrayList<>();
        for (Routing.Chain c : listener.chains()) {
            if (c.destinationPort() == port) {
                candidates.add(c);
            }
        }
        if (candidates.isEmpty()) {
            for (Routing.Chain c : listener.chains()) {
                if (c.destinationPort() == 0) {
                    candidates.add(c);
                }
            }
        }
        Routing.Chain best = null;
        int bestLength = -1;
        for (Routing.Chain c : candidates) {
            for (Routing.Prefix p : c.prefixes()) {
                if (ip >= 0 && p.contains(ip) && p.length() > bestLength) {
                    best = c;
                    bestLength = p.length();
                }
            }
        }
        if (best != null) {
            return best;
        }
        for (Routing.Chain c : candidates) {
            if (c.prefixes().isEmpty()) {
                return c;
            }
        }
        return listener.defaultChain();
    }

    static Routing.VirtualHost virtualHost(Routing.Routes routes, String host, int port) {
        String withPort = host + ":" + port;
        for (Routing.VirtualHost v : routes.virtualHosts()) {
            if (v.domains().contains(withPort) || v.domains().contains(host)) {
                return v;
            }
        }
        for (Routing.VirtualHost v : routes.virtualHosts()) {
            if (v.domains().contains("*")) {
                return v;
            }
        }
        return null;
    }
}
