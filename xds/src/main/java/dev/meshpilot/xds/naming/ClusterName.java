package dev.meshpilot.xds.naming;

import java.util.Objects;
import java.util.Optional;

/**
 * A cluster name in Istio's subset-key grammar {@code DIRECTION|PORT|SUBSET|HOSTNAME} (spec R32): outbound
 * default clusters {@code outbound|9080||reviews.default.svc.cluster.local}, subset clusters
 * {@code outbound|9080|v1|reviews.default.svc.cluster.local}, inbound clusters {@code inbound|8080||} (empty
 * subset and hostname). The only place such names are built and parsed.
 *
 * @param subset   empty for the default cluster of a port
 * @param hostname empty for inbound clusters
 */
public record ClusterName(TrafficDirection direction, int port, String subset, String hostname) {

    private static final char SEPARATOR = '|';

    public ClusterName {
        Objects.requireNonNull(direction, "direction");
        subset = subset == null ? "" : subset;
        hostname = hostname == null ? "" : hostname;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (subset.indexOf(SEPARATOR) >= 0 || hostname.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("'|' is not allowed in a subset or hostname: " + subset + " " + hostname);
        }
    }

    /** {@code outbound|PORT||HOSTNAME}. */
    public static ClusterName outbound(int port, String hostname) {
        return new ClusterName(TrafficDirection.OUTBOUND, port, "", requireHost(hostname));
    }

    /** {@code outbound|PORT|SUBSET|HOSTNAME}; an empty subset gives the default cluster. */
    public static ClusterName outbound(int port, String subset, String hostname) {
        return new ClusterName(TrafficDirection.OUTBOUND, port, subset, requireHost(hostname));
    }

    /** {@code inbound|PORT||} (the form used since Istio 1.10, R34). */
    public static ClusterName inbound(int port) {
        return new ClusterName(TrafficDirection.INBOUND, port, "", "");
    }

    /** True iff the name has exactly three {@code |}, as Istio's {@code IsValidSubsetKey}. */
    public static boolean isSubsetKey(String name) {
        if (name == null) {
            return false;
        }
        int count = 0;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == SEPARATOR) {
                count++;
            }
        }
        return count == 3;
    }

    /**
     * Parses a subset-key name; empty for any other name (fixed clusters such as {@code BlackHoleCluster},
     * unknown directions, ports that are not numbers).
     */
    public static Optional<ClusterName> parse(String name) {
        if (!isSubsetKey(name)) {
            return Optional.empty();
        }
        String[] parts = name.split("\\|", -1);
        TrafficDirection direction;
        if (parts[0].equals(TrafficDirection.OUTBOUND.prefix())) {
            direction = TrafficDirection.OUTBOUND;
        } else if (parts[0].equals(TrafficDirection.INBOUND.prefix())) {
            direction = TrafficDirection.INBOUND;
        } else {
            return Optional.empty();
        }
        int port;
        try {
            port = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (port < 0 || port > 65535) {
            return Optional.empty();
        }
        return Optional.of(new ClusterName(direction, port, parts[2], parts[3]));
    }

    public boolean isInbound() {
        return direction == TrafficDirection.INBOUND;
    }

    public boolean hasSubset() {
        return !subset.isEmpty();
    }

    /** The default (subset-less) cluster of the same direction, port and host. */
    public ClusterName withoutSubset() {
        return new ClusterName(direction, port, "", hostname);
    }

    /** The cluster name as Envoy sees it. */
    public String value() {
        return direction.prefix() + SEPARATOR + port + SEPARATOR + subset + SEPARATOR + hostname;
    }

    @Override
    public String toString() {
        return value();
    }

    private static String requireHost(String hostname) {
        if (hostname == null || hostname.isEmpty()) {
            throw new IllegalArgumentException("an outbound cluster needs a hostname");
        }
        return hostname;
    }
}
