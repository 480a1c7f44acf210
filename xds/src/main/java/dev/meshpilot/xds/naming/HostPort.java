package dev.meshpilot.xds.naming;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code HOSTNAME:PORT}: the name of a proxyless gRPC listener and route configuration, the name of a sidecar
 * HTTP virtual host, and the route name of a protocol-sniffed listener (spec R38).
 */
public record HostPort(String hostname, int port) {

    public HostPort {
        Objects.requireNonNull(hostname, "hostname");
        if (hostname.isEmpty()) {
            throw new IllegalArgumentException("empty hostname");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses {@code HOST:PORT} at the last colon; empty when there is no numeric port. */
    public static Optional<HostPort> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            return Optional.empty();
        }
        String portText = value.substring(colon + 1);
        for (int i = 0; i < portText.length(); i++) {
            if (!Character.isDigit(portText.charAt(i))) {
                return Optional.empty();
            }
        }
        if (portText.length() > 5) {
            return Optional.empty();
        }
        int port = Integer.parseInt(portText);
        if (port > 65535) {
            return Optional.empty();
        }
        return Optional.of(new HostPort(value.substring(0, colon), port));
    }

    public String value() {
        return hostname + ":" + port;
    }

    @Override
    public String toString() {
        return value();
    }
}
