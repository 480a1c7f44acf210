package dev.meshpilot.bench.client;

import java.util.List;
import java.util.Set;

/**
 * The parts of a listener or route configuration a simulated call needs to pick its path, parsed once per resource
 * digest by {@link ResourceLinks}: listener filter chains (name, match, where they go) and route virtual hosts
 * (domains, first route's cluster). Everything else Envoy would evaluate (headers, weights, retries) is ignored.
 */
public final class Routing {

    private Routing() {
    }

    /** An IPv4 prefix range of a filter chain match, as an unsigned address and a length. */
    public record Prefix(long address, int length) {
        public boolean contains(long ip) {
            if (length == 0) {
                return true;
            }
            long mask = (0xffffffffL << (32 - length)) & 0xffffffffL;
            return (ip & mask) == (address & mask);
        }
    }

    /**
     * One filter chain: {@code destinationPort} 0 when unmatched on port; {@code tcpCluster} for a TCP proxy,
     * {@code rds} for an HTTP connection manager (the route configuration it loads).
     */
    public record Chain(String name, int destinationPort, List<Prefix> prefixes, String tcpCluster, String rds) {
    }

    /** A listener's chains; {@code defaultChain} may be null. */
    public record Listener(List<Chain> chains, Chain defaultChain) {
    }

    /** A virtual host: its name, domains and the cluster of its first route (empty when it routes nowhere). */
    public record VirtualHost(String name, Set<String> domains, String cluster) {
    }

    /** A route configuration's virtual hosts in order. */
    public record Routes(List<VirtualHost> virtualHosts) {
    }

    /** Parses dotted IPv4; -1 when not IPv4. */
    public static long ipv4(String address) {
        String[] parts = address.split("\\.");
        if (parts.length != 4) {
            return -1;
        }
        long out = 0;
        for (String part : parts) {
            try {
                int v = Integer.parseInt(part);
                if (v < 0 || v > 255) {
                    return -1;
                }
                out = (out << 8) | v;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return out;
    }
}
