package dev.meshpilot.xds.naming;

import java.util.Objects;
import java.util.Optional;

/**
 * Fixed and derived names of listeners, filter chains, route configurations and virtual hosts, in Istio's layout
 * (spec R35, R38). Cluster names are {@link ClusterName}; {@code HOST:PORT} names are {@link HostPort}.
 */
public final class XdsNames {

    /** STATIC cluster without endpoints; traffic sent here is dropped. */
    public static final String BLACK_HOLE_CLUSTER = "BlackHoleCluster";
    /** ORIGINAL_DST cluster for outbound traffic to unknown destinations under ALLOW_ANY. */
    public static final String PASSTHROUGH_CLUSTER = "PassthroughCluster";
    /** ORIGINAL_DST cluster for inbound traffic to ports no service declares (one cluster since Istio 1.23). */
    public static final String INBOUND_PASSTHROUGH_CLUSTER = "InboundPassthroughCluster";

    public static final String VIRTUAL_OUTBOUND_LISTENER = "virtualOutbound";
    public static final String VIRTUAL_INBOUND_LISTENER = "virtualInbound";
    public static final int VIRTUAL_OUTBOUND_PORT = 15001;
    public static final int VIRTUAL_INBOUND_PORT = 15006;

    /** virtualOutbound's chain for unmatched traffic under ALLOW_ANY (to {@link #PASSTHROUGH_CLUSTER}). */
    public static final String VIRTUAL_OUTBOUND_CATCHALL_CHAIN = "virtualOutbound-catchall-tcp";
    /** virtualOutbound's chain sending traffic to {@link #BLACK_HOLE_CLUSTER}. */
    public static final String VIRTUAL_OUTBOUND_BLACKHOLE_CHAIN = "virtualOutbound-blackhole";
    /** virtualInbound's chain for traffic addressed to 15006 itself (a loop), to {@link #BLACK_HOLE_CLUSTER}. */
    public static final String VIRTUAL_INBOUND_BLACKHOLE_CHAIN = "virtualInbound-blackhole";
    /**
     * virtualInbound's TCP chains for inbound traffic to ports no service declares (Istio names them after the
     * listener: {@code virtualInbound}).
     */
    public static final String VIRTUAL_INBOUND_PASSTHROUGH_CHAIN = VIRTUAL_INBOUND_LISTENER;
    /** virtualInbound's HTTP chains for inbound HTTP traffic to ports no service declares. */
    public static final String VIRTUAL_INBOUND_CATCHALL_HTTP_CHAIN = "virtualInbound-catchall-http";
    /** The single virtual host of virtualInbound's passthrough HTTP route configuration (service port 0). */
    public static final String INBOUND_PASSTHROUGH_VIRTUAL_HOST = "inbound|http|0";
    /** The default chain of an outbound {@code 0.0.0.0_PORT} HTTP listener: what is not plaintext HTTP, as TCP. */
    public static final String PASSTHROUGH_FILTER_CHAIN = "PassthroughFilterChain";

    /** Catch-all virtual host of an outbound route configuration under ALLOW_ANY. */
    public static final String ALLOW_ANY_VIRTUAL_HOST = "allow_any";
    /** Catch-all virtual host of an outbound route configuration under REGISTRY_ONLY (502). */
    public static final String BLOCK_ALL_VIRTUAL_HOST = "block_all";

    /**
     * The cluster an Istio-style sidecar bootstrap defines for the control plane (xDS and, for meshpilot, the
     * access-log service on the same port); generated config refers to it but never sends it over CDS.
     */
    public static final String CONTROL_PLANE_CLUSTER = "xds-grpc";
    /** istio-agent's SDS cluster in the istio-proxy bootstrap: where the workload certificate comes from. */
    public static final String SDS_CLUSTER = "sds-grpc";
    /** The SDS secret of the workload's own certificate and key (istio-agent). */
    public static final String SDS_DEFAULT_SECRET = "default";
    /** The SDS secret of the mesh's root certificate (istio-agent). */
    public static final String SDS_ROOT_SECRET = "ROOTCA";

    /**
     * Virtual host of an outbound route configuration for the services a learned scope left out on that port (to
     * {@link #PASSTHROUGH_CLUSTER}, logged), placed before the catch-all.
     */
    public static final String LEARNING_FALLBACK_VIRTUAL_HOST = "meshpilot-learning-fallback";
    /**
     * virtualOutbound's default filter chain while learning fallback chains exist: a connection whose port a
     * fallback chain claims but whose address it does not list goes where the catch-all would send it.
     */
    public static final String LEARNING_FALLBACK_UNMATCHED_CHAIN = "meshpilot-learning-fallback-unmatched";

    /** Name Envoy gives the default route of a virtual host that no VirtualService shapes. */
    public static final String DEFAULT_ROUTE = "default";

    private static final String WILDCARD_ADDRESS = "0.0.0.0";

    private XdsNames() {
    }

    /** True for 15001 and 15006: ports the virtual listeners own, so no per-port outbound listener may use them. */
    public static boolean isVirtualListenerPort(int port) {
        return port == VIRTUAL_OUTBOUND_PORT || port == VIRTUAL_INBOUND_PORT;
    }

    /** {@code 0.0.0.0_PORT}: an outbound HTTP listener shared by all services on that port. */
    public static String wildcardListener(int port) {
        return listenerName(WILDCARD_ADDRESS, port);
    }

    /** {@code VIP_PORT}: an outbound TCP listener of one service address. */
    public static String addressListener(String address, int port) {
        Objects.requireNonNull(address, "address");
        return listenerName(address, port);
    }

    /** The route configuration name an outbound HTTP listener on this port uses over RDS ({@code PORT}). */
    public static String outboundRouteConfig(int port) {
        checkPort(port);
        return Integer.toString(port);
    }

    /** Parses a {@code PORT} route configuration name; empty for other names. */
    public static Optional<Integer> parseOutboundRouteConfig(String name) {
        if (name == null || name.isEmpty() || name.length() > 5 || !name.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        int port = Integer.parseInt(name);
        return port <= 65535 ? Optional.of(port) : Optional.empty();
    }

    /** {@code HOST:PORT}: the virtual host of a service port in an outbound route configuration. */
    public static String virtualHost(String hostname, int port) {
        return new HostPort(hostname, port).value();
    }

    /** The name of an inbound HTTP route configuration (inline in virtualInbound): the inbound cluster's name. */
    public static String inboundRouteConfig(int targetPort) {
        return ClusterName.inbound(targetPort).value();
    }

    /** {@code inbound|http|PORT}: the single virtual host of an inbound HTTP route configuration. */
    public static String inboundVirtualHost(int targetPort) {
        checkPort(targetPort);
        return "inbound|http|" + targetPort;
    }

    /**
     * {@code meshpilot-learning-fallback-PORT}: the filter chain passing connections to the addresses of services a
     * learned scope left out, on one port, to {@link #PASSTHROUGH_CLUSTER} (logged).
     */
    public static String learningFallbackChain(int port) {
        checkPort(port);
        return LEARNING_FALLBACK_VIRTUAL_HOST + "-" + port;
    }

    /** The name of virtualInbound's filter chain for one target port ({@code 0.0.0.0_PORT}, as Istio). */
    public static String inboundFilterChain(int targetPort) {
        return wildcardListener(targetPort);
    }

    /** {@code outbound_ADDRESS_PORT} / {@code inbound_...}: the stat prefix of a connection manager. */
    public static String statPrefix(TrafficDirection direction, String listenerName) {
        return delimitedStatName(direction.prefix() + "_" + listenerName);
    }

    /**
     * Istio's (1.23+) delimited stat name: the name followed by {@value #STAT_NAME_DELIMITER}, as istiod writes
     * every cluster {@code alt_stat_name} and connection manager {@code stat_prefix} (its
     * {@code DelimitedStatsPrefix}, whatever the proxy); istio-agent's bootstrap stats tag regexes expect it.
     */
    public static String delimitedStatName(String name) {
        return name + STAT_NAME_DELIMITER;
    }

    /** What ends a delimited stat name. */
    public static final String STAT_NAME_DELIMITER = ";";

    /**
     * The SNI istio-proxy sends to an in-mesh upstream (Istio's {@code BuildDNSSrvSubsetKey}):
     * {@code outbound_.PORT_.SUBSET_.FQDN}, so {@code outbound_.PORT_._.FQDN} without a subset.
     */
    public static String istioMtlsSni(int port, String subset, String fqdn) {
        return "outbound_." + port + "_." + (subset == null ? "" : subset) + "_." + fqdn;
    }

    /** Parses {@code ADDRESS_PORT} listener names (wildcard or VIP); empty for other names. */
    public static Optional<ListenerAddress> parseListener(String name) {
        if (name == null) {
            return Optional.empty();
        }
        int underscore = name.lastIndexOf('_');
        if (underscore <= 0) {
            return Optional.empty();
        }
        Optional<Integer> port = parseOutboundRouteConfig(name.substring(underscore + 1));
        return port.map(p -> new ListenerAddress(name.substring(0, underscore), p));
    }

    /** The address and port an {@code ADDRESS_PORT} listener name stands for. */
    public record ListenerAddress(String address, int port) {
        public boolean isWildcard() {
            return WILDCARD_ADDRESS.equals(address);
        }
    }

    private static String listenerName(String address, int port) {
        checkPort(port);
        return address + "_" + port;
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
