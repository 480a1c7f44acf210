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

    /**
     * The connection shown for this proxy ({@code POD.NS}) when several streams claim it: the first (oldest) one
     * still attached. A later stream claiming the same id never shadows it; it is reported by {@link #duplicates()}.
     */
    public Optional<ProxyConnection> byProxyId(String proxyId) {
        return connections.values().stream()
                .filter(c -> proxyId.equals(c.proxyId()))
                .min(Comparator.comparingLong(ProxyConnection::id));
    }

    /** Every attached connection of this proxy, oldest first. */
    public List<ProxyConnection> allOf(String proxyId) {
        return connections.values().stream()
                .filter(c -> proxyId.equals(c.proxyId()))
                .sorted(Comparator.comparingLong(ProxyConnection::id))
                .toList();
    }

    /** Proxy ids with more than one attached stream, each with its connections oldest (the one shown) first. */
    public Map<String, List<ProxyConnection>> duplicates() {
        Map<String, List<ProxyConnection>> byId = new java.util.TreeMap<>();
        all().forEach(c -> byId.computeIfAbsent(c.proxyId(), k -> new java.util.ArrayList<>()).add(c));
        byId.values().removeIf(list -> list.size() < 2);
        return byId;
    }
}
