package dev.meshpilot.server.ads;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live ADS connections: the push pipeline fans out over them and the debug endpoints read their published
 * status. Connections add themselves once attached and remove themselves when their stream ends. They are also
 * indexed by proxy id, so finding a proxy's streams (each new stream checks for duplicates) costs the same with
 * 10 or 10,000 proxies connected.
 */
public final class ConnectionRegistry {
    private static final Comparator<ProxyConnection> OLDEST_FIRST = Comparator.comparingLong(ProxyConnection::id);

    private final Map<Long, ProxyConnection> connections = new ConcurrentHashMap<>();
    /** Proxy id to its attached connections, oldest first; each list is immutable and replaced on change. */
    private final Map<String, List<ProxyConnection>> byProxy = new ConcurrentHashMap<>();

    void add(ProxyConnection connection) {
        connections.put(connection.id(), connection);
        byProxy.compute(connection.proxyId(), (id, same) -> {
            List<ProxyConnection> next = same == null ? new ArrayList<>(1) : new ArrayList<>(same);
            next.add(connection);
            next.sort(OLDEST_FIRST);
            return List.copyOf(next);
        });
    }

    void remove(ProxyConnection connection) {
        if (connections.remove(connection.id()) == null) {
            return;
        }
        byProxy.computeIfPresent(connection.proxyId(), (id, same) -> {
            List<ProxyConnection> next = same.stream().filter(c -> c != connection).toList();
            return next.isEmpty() ? null : next;
        });
    }

    /** Attached connections, oldest first. */
    public List<ProxyConnection> all() {
        return connections.values().stream().sorted(OLDEST_FIRST).toList();
    }

    public int size() {
        return connections.size();
    }

    /**
     * The connection shown for this proxy ({@code POD.NS}) when several streams claim it: the first (oldest) one
     * still attached. A later stream claiming the same id never shadows it; it is reported by {@link #duplicates()}.
     */
    public Optional<ProxyConnection> byProxyId(String proxyId) {
        return allOf(proxyId).stream().findFirst();
    }

    /** Every attached connection of this proxy, oldest first. */
    public List<ProxyConnection> allOf(String proxyId) {
        return byProxy.getOrDefault(proxyId, List.of());
    }

    /** Proxy ids with more than one attached stream, each with its connections oldest (the one shown) first. */
    public Map<String, List<ProxyConnection>> duplicates() {
        Map<String, List<ProxyConnection>> byId = new TreeMap<>();
        byProxy.forEach((id, same) -> {
            if (same.size() > 1) {
                byId.put(id, same);
            }
        });
        return byId;
    }
}
