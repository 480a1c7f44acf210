package dev.meshpilot.core.model;

import java.util.List;
import java.util.Objects;

/**
 * A discovery.k8s.io EndpointSlice, kept as declared: the service it belongs to (label
 * {@code kubernetes.io/service-name}), its named ports and its endpoints with their conditions.
 */
public record EndpointSliceInfo(ObjectMeta meta, String serviceName, List<SlicePort> ports, List<SliceEndpoint> endpoints) {

    public EndpointSliceInfo {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(serviceName, "serviceName");
        ports = List.copyOf(ports == null ? List.of() : ports);
        endpoints = List.copyOf(endpoints == null ? List.of() : endpoints);
    }

    /** A port of the slice; {@code name} matches the service port's name. */
    public record SlicePort(String name, int port, String protocol) {
        public SlicePort {
            name = name == null ? "" : name;
            protocol = protocol == null ? "TCP" : protocol;
        }
    }

    /**
     * One endpoint. Conditions follow Kubernetes: {@code ready} absent means true; {@code serving} absent means
     * the value of ready; {@code terminating} absent means false.
     */
    public record SliceEndpoint(List<String> addresses, boolean ready, boolean serving, boolean terminating,
                                String targetPodName, Locality locality) {
        public SliceEndpoint {
            addresses = List.copyOf(addresses == null ? List.of() : addresses);
            targetPodName = targetPodName == null ? "" : targetPodName;
            locality = locality == null ? Locality.UNKNOWN : locality;
        }
    }
}
