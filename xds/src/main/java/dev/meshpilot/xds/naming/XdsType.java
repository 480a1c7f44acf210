package dev.meshpilot.xds.naming;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The four xDS resource types meshpilot serves, with their v3 type URLs. Declared in the order a
 * state-of-the-world push should send them (CDS, EDS, LDS, RDS: what is referenced goes before what refers to it
 * wherever Envoy's warming allows).
 */
public enum XdsType {
    CLUSTER("type.googleapis.com/envoy.config.cluster.v3.Cluster", "clusters", "CDS"),
    ENDPOINT("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", "endpoints", "EDS"),
    LISTENER("type.googleapis.com/envoy.config.listener.v3.Listener", "listeners", "LDS"),
    ROUTE("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", "routes", "RDS");

    /** All types in push order. */
    public static final List<XdsType> PUSH_ORDER = List.of(values());

    private final String typeUrl;
    private final String plural;
    private final String discoveryService;

    XdsType(String typeUrl, String plural, String discoveryService) {
        this.typeUrl = typeUrl;
        this.plural = plural;
        this.discoveryService = discoveryService;
    }

    public String typeUrl() {
        return typeUrl;
    }

    /** {@code clusters}, {@code endpoints}, {@code listeners}, {@code routes}: as {@code proxy-config} names them. */
    public String plural() {
        return plural;
    }

    /** {@code CDS}, {@code EDS}, {@code LDS}, {@code RDS}. */
    public String discoveryService() {
        return discoveryService;
    }

    public static Optional<XdsType> fromTypeUrl(String typeUrl) {
        return Arrays.stream(values()).filter(t -> t.typeUrl.equals(typeUrl)).findFirst();
    }
}
