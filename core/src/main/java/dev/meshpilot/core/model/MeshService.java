package dev.meshpilot.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One service of the mesh model, as Istio's internal service record: a Kubernetes Service gives one, a
 * ServiceEntry one per host. {@code declaredExportTo} is what the object itself says (annotation or
 * {@code spec.exportTo}); empty means "use the mesh default" (see {@link MeshConfig#defaultServiceExportTo()}).
 *
 * @param hostname     FQDN ({@code name.ns.svc.cluster.local}) or the ServiceEntry host (may start with {@code *.})
 * @param origin       the object this record came from (kind SERVICE for Kubernetes, SERVICE_ENTRY name for entries)
 * @param addresses    virtual IPs (ClusterIP or ServiceEntry addresses); empty when unknown or headless
 * @param endpoints    inline endpoints of a ServiceEntry (empty for Kubernetes services, whose endpoints come from
 *                     EndpointSlices or selected workloads)
 */
public record MeshService(
        String hostname,
        String namespace,
        Registry registry,
        ObjectMeta origin,
        List<ServicePort> ports,
        Map<String, String> selector,
        List<String> declaredExportTo,
        Resolution resolution,
        List<String> addresses,
        boolean meshExternal,
        List<ServiceEntryEndpoint> endpoints) {

    /** Where a service record came from; Istio prefers Kubernetes services over ServiceEntries for one host. */
    public enum Registry { KUBERNETES, EXTERNAL }

    /** How clients find endpoints, after Istio's {@code Resolution}. */
    public enum Resolution { CLIENT_SIDE_LB, DNS, DNS_ROUND_ROBIN, PASSTHROUGH }

    public MeshService {
        Objects.requireNonNull(hostname, "hostname");
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(origin, "origin");
        ports = List.copyOf(ports);
        selector = Map.copyOf(selector == null ? Map.of() : selector);
        declaredExportTo = List.copyOf(declaredExportTo == null ? List.of() : declaredExportTo);
        Objects.requireNonNull(resolution, "resolution");
        addresses = List.copyOf(addresses == null ? List.of() : addresses);
        endpoints = List.copyOf(endpoints == null ? List.of() : endpoints);
    }

    public Instant creationTimestamp() {
        return origin.creationTimestamp();
    }

    /** The Kubernetes Service name, or the ServiceEntry name. */
    public String name() {
        return origin.name();
    }

    public boolean isKubernetes() {
        return registry == Registry.KUBERNETES;
    }

    public boolean isWildcard() {
        return hostname.startsWith("*");
    }

    /** The same service carrying only the given ports (used when a scope narrows a service). */
    public MeshService withPorts(List<ServicePort> newPorts) {
        return new MeshService(hostname, namespace, registry, origin, newPorts, selector, declaredExportTo, resolution,
                addresses, meshExternal, endpoints);
    }

    /** The config key of this service's registry entry (kind SERVICE, named by hostname). */
    public ConfigKey key() {
        return ConfigKey.of(ConfigKey.Kind.SERVICE, namespace, hostname);
    }

    /** An endpoint written inline in a ServiceEntry. */
    public record ServiceEntryEndpoint(String address, Map<String, Integer> ports, Map<String, String> labels,
                                       String locality, int weight) {
        public ServiceEntryEndpoint {
            Objects.requireNonNull(address, "address");
            ports = Map.copyOf(ports == null ? Map.of() : ports);
            labels = Map.copyOf(labels == null ? Map.of() : labels);
            locality = locality == null ? "" : locality;
        }
    }
}
