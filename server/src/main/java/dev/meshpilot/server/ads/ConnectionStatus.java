package dev.meshpilot.server.ads;

import io.envoyproxy.envoy.config.core.v3.Node;

import java.time.Instant;
import java.util.Map;

/**
 * An immutable picture of one connected proxy, published by its stream after every change: who it is, how it
 * speaks, per type what was sent and acknowledged, and the resources it was last sent.
 *
 * @param protocol "sotw" or "delta"
 * @param sent     per type, the resources last sent (SotW) or that the client holds as far as we know (delta)
 */
public record ConnectionStatus(long connectionId, String proxyId, String namespace, Node node, String protocol,
                               String peer, Instant connectedAt, Map<String, TypeStatus> types,
                               ResourceSet sent) {
    public ConnectionStatus {
        types = Map.copyOf(types);
    }
}
