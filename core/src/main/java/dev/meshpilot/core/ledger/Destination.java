package dev.meshpilot.core.ledger;

import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;

/**
 * What a workload called: a host (a service FQDN, a ServiceEntry host, or, for traffic that matched no
 * service, the original destination IP) and a port, {@code 0} when the evidence carries none.
 */
public record Destination(String host, int port) implements Comparable<Destination> {

    /** The port of evidence that names only a host (Istio's {@code destination_service} has no port). */
    public static final int ANY_PORT = 0;

    private static final Comparator<Destination> ORDER =
            Comparator.comparing((Destination d) -> d.host()).thenComparingInt(Destination::port);

    public Destination {
        Objects.requireNonNull(host, "host");
        host = host.trim().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("a destination needs a host");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("destination port out of range: " + port);
        }
    }

    public static Destination ofHost(String host) {
        return new Destination(host, ANY_PORT);
    }

    public boolean hasPort() {
        return port != ANY_PORT;
    }

    @Override
    public int compareTo(Destination other) {
        return ORDER.compare(this, other);
    }

    /** {@code host:port}, or the host alone when the port is unknown. */
    @Override
    public String toString() {
        return hasPort() ? host + ":" + port : host;
    }
}
