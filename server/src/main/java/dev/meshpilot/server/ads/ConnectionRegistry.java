package dev.meshpilot.server.ads;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live ADS connections: the push pipeline fans out over them and the debug endpoints read their published
 * status. Connections add themselves once attached and remove themselves when their stream ends.
 */
public final class ConnectionRegistry {
    private final Map<Long, ProxyConnection> connections = new ConcurrentHashMap<>();

    void add(ProxyConnection connection) {
        connections.put(connection.id(), connection);
    }

    void remove(ProxyConnection connection) {
        connections.remove(connection.id());
    }

    /** Attached connections, oldest first. */
    public List<ProxyConnection> all() {
        return connections.values().stream().sorted(Comparator.comparingLong(ProxyConnection::id)).toList();
    }

    public int size() {
        return connections.size();
    }

    /** The newest connection of this proxy ({@code POD.NS}), if one is attached. */
    public Optional<ProxyConnection> byProxyId(String proxyId) {
        return connections.values().stream()
                .filter(c -> proxyId.equals(c.proxyId()))
                .max(Comparator.comparingLong(ProxyConnection::id));
    }
}
