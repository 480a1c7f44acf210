package dev.meshpilot.server.ads;

import io.envoyproxy.envoy.config.core.v3.Node;

import java.util.List;
import java.util.Objects;

/**
 * One request for a debug type ({@link DebugTypes}) on an ADS stream.
 *
 * @param resourceNames the names the request carries (SotW {@code resource_names}, delta
 *                      {@code resource_names_subscribe})
 * @param caller        the node the stream's client sent on its first request
 * @param peer          the client's address as the transport reports it
 * @param loopbackPeer  the client connected from a loopback address
 */
public record DebugRequest(String typeUrl, List<String> resourceNames, Node caller, String peer,
                           boolean loopbackPeer) {
    public DebugRequest {
        Objects.requireNonNull(typeUrl, "typeUrl");
        resourceNames = List.copyOf(resourceNames);
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(peer, "peer");
    }
}
