package dev.meshpilot.cli.status;

import dev.meshpilot.cli.UserException;

/** {@code HOST:PORT} or {@code [IPv6]:PORT}, as {@code --xds-address} takes it. */
record HostPort(String host, int port) {
    static HostPort parse(String address) {
        int colon = address.lastIndexOf(':');
        String host = colon <= 0 ? "" : address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65_535) {
            throw new UserException("--xds-address " + address + ": expected HOST:PORT, e.g. 127.0.0.1:15010");
        }
        return new HostPort(host, port);
    }
}
