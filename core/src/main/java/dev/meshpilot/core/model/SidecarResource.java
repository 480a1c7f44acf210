package dev.meshpilot.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code networking.istio.io} Sidecar (v1, v1beta1 and v1alpha3 share one schema).
 *
 * @param workloadSelector present iff the manifest has the {@code workloadSelector} field, even with empty labels
 *                         (Istio ranks by presence of the field)
 * @param outboundTrafficPolicy empty when the Sidecar does not set one (the mesh's applies)
 */
public record SidecarResource(ObjectMeta meta, Optional<Map<String, String>> workloadSelector,
                              List<EgressListener> egress, List<IngressListener> ingress,
                              Optional<OutboundTrafficPolicy> outboundTrafficPolicy) {

    public SidecarResource {
        Objects.requireNonNull(meta, "meta");
        workloadSelector = workloadSelector == null ? Optional.empty() : workloadSelector.map(Map::copyOf);
        egress = List.copyOf(egress == null ? List.of() : egress);
        ingress = List.copyOf(ingress == null ? List.of() : ingress);
        outboundTrafficPolicy = outboundTrafficPolicy == null ? Optional.empty() : outboundTrafficPolicy;
    }

    public ConfigKey key() {
        return ConfigKey.of(ConfigKey.Kind.SIDECAR, meta.namespace(), meta.name());
    }

    public boolean hasWorkloadSelector() {
        return workloadSelector.isPresent();
    }

    /**
     * One {@code egress[]} entry. {@code port} is empty for a port-less (catch-all) listener.
     * {@code hosts} are kept verbatim ({@code ns/dnsName}); the scoping code parses and validates them.
     */
    public record EgressListener(Optional<ListenerPort> port, String bind, String captureMode, List<String> hosts) {
        public EgressListener {
            port = port == null ? Optional.empty() : port;
            bind = bind == null ? "" : bind;
            captureMode = captureMode == null ? "DEFAULT" : captureMode;
            hosts = List.copyOf(hosts == null ? List.of() : hosts);
        }

        public static EgressListener ofHosts(String... hosts) {
            return new EgressListener(Optional.empty(), "", "DEFAULT", List.of(hosts));
        }
    }

    /** One {@code ingress[]} entry. */
    public record IngressListener(ListenerPort port, String bind, String defaultEndpoint) {
        public IngressListener {
            Objects.requireNonNull(port, "port");
            bind = bind == null ? "" : bind;
            defaultEndpoint = defaultEndpoint == null ? "" : defaultEndpoint;
        }
    }

    /** A Sidecar listener port ({@code number}, {@code protocol}, {@code name}). */
    public record ListenerPort(int number, String protocol, String name) {
        public ListenerPort {
            protocol = protocol == null ? "" : protocol;
            name = name == null ? "" : name;
        }
    }
}
