package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.EndpointSliceInfo;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.NamespaceInfo;
import dev.meshpilot.core.model.PeerAuthenticationResource;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.model.WorkloadGroup;
import dev.meshpilot.core.model.WorkloadInstance;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One immutable, versioned view of the whole mesh, as the registry store publishes it. Objects of namespaces
 * that discovery selectors leave out are already gone; pods synthesized from Deployments/StatefulSets are
 * already in {@link #workloads()}. {@link #services()} is in Istio's global service order
 * ({@link #GLOBAL_SERVICE_ORDER}: creation time, then name, then namespace; R3 of the scoping spec).
 */
public final class MeshSnapshot {

    /**
     * Istio's global service order (R3): creation time, then the service's Istio name (a Kubernetes Service's name;
     * Istio names a ServiceEntry's service by its host), then namespace. Istio's sort is stable and leaves the
     * remaining ties in registry order, Kubernetes registries first; this order finishes the same way (Kubernetes
     * before ServiceEntry), then by hostname and the originating object's name, so it is total over distinct
     * records: change detection merge-walks the sorted lists with it. The one definition of R3; scoping's
     * {@code ServiceIndex.ISTIO_ORDER} refers to it.
     */
    public static final Comparator<MeshService> GLOBAL_SERVICE_ORDER = Comparator
            .comparing(MeshService::creationTimestamp)
            .thenComparing(MeshSnapshot::istioName)
            .thenComparing(MeshService::namespace)
            .thenComparing(MeshService::registry)
            .thenComparing(MeshService::hostname)
            .thenComparing(MeshService::name);

    /** The name Istio's service record carries: the Kubernetes Service's name, or a ServiceEntry's host. */
    private static String istioName(MeshService s) {
        return s.isKubernetes() ? s.name() : s.hostname();
    }

    private final long version;
    private final MeshConfig meshConfig;
    private final List<NamespaceInfo> namespaces;
    private final List<MeshService> services;
    private final List<EndpointSliceInfo> endpointSlices;
    private final List<WorkloadInstance> workloads;
    private final List<WorkloadGroup> workloadGroups;
    private final List<SidecarResource> sidecars;
    private final List<VirtualServiceResource> virtualServices;
    private final List<DestinationRuleResource> destinationRules;
    private final List<PeerAuthenticationResource> peerAuthentications;
    private final Map<String, WorkloadInstance> workloadsById;
    private final Map<String, NamespaceInfo> namespacesByName;
    private final Map<String, List<MeshService>> servicesByHostname;
    private final Map<String, List<MeshService>> selectingServicesByNamespace;
    private volatile EndpointIndex endpointIndex;

    public MeshSnapshot(long version, MeshConfig meshConfig, List<NamespaceInfo> namespaces, List<MeshService> services,
                        List<EndpointSliceInfo> endpointSlices, List<WorkloadInstance> workloads,
                        List<WorkloadGroup> workloadGroups, List<SidecarResource> sidecars,
                        List<VirtualServiceResource> virtualServices, List<DestinationRuleResource> destinationRules) {
        this(version, meshConfig, namespaces, services, endpointSlices, workloads, workloadGroups, sidecars,
                virtualServices, destinationRules, List.of());
    }

    /** A snapshot that also holds PeerAuthentications (in namespace/name order). */
    public MeshSnapshot(long version, MeshConfig meshConfig, List<NamespaceInfo> namespaces, List<MeshService> services,
                        List<EndpointSliceInfo> endpointSlices, List<WorkloadInstance> workloads,
                        List<WorkloadGroup> workloadGroups, List<SidecarResource> sidecars,
                        List<VirtualServiceResource> virtualServices, List<DestinationRuleResource> destinationRules,
                        List<PeerAuthenticationResource> peerAuthentications) {
        this.version = version;
        this.meshConfig = Objects.requireNonNull(meshConfig, "meshConfig");
        this.namespaces = List.copyOf(namespaces);
        this.services = services.stream().sorted(GLOBAL_SERVICE_ORDER).toList();
        this.endpointSlices = List.copyOf(endpointSlices);
        this.workloads = List.copyOf(workloads);
        this.workloadGroups = List.copyOf(workloadGroups);
        this.sidecars = List.copyOf(sidecars);
        this.virtualServices = List.copyOf(virtualServices);
        this.destinationRules = List.copyOf(destinationRules);
        this.peerAuthentications = List.copyOf(peerAuthentications);
        this.workloadsById = this.workloads.stream()
                .collect(Collectors.toUnmodifiableMap(WorkloadInstance::proxyId, Function.identity(), (a, b) -> a));
        this.namespacesByName = this.namespaces.stream()
                .collect(Collectors.toUnmodifiableMap(NamespaceInfo::name, Function.identity(), (a, b) -> a));
        this.servicesByHostname = this.services.stream()
                .collect(Collectors.groupingBy(MeshService::hostname, Collectors.toUnmodifiableList()));
        this.selectingServicesByNamespace = this.services.stream()
                .filter(MeshService::isKubernetes)
                .filter(s -> !s.selector().isEmpty())
                .collect(Collectors.groupingBy(MeshService::namespace, Collectors.toUnmodifiableList()));
    }

    /** An empty mesh with the given configuration. */
    public static MeshSnapshot empty(MeshConfig meshConfig) {
        return new MeshSnapshot(0, meshConfig, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of());
    }

    public long version() { return version; }
    public MeshConfig meshConfig() { return meshConfig; }
    public List<NamespaceInfo> namespaces() { return namespaces; }
    public List<MeshService> services() { return services; }
    public List<EndpointSliceInfo> endpointSlices() { return endpointSlices; }
    public List<WorkloadInstance> workloads() { return workloads; }
    public List<WorkloadGroup> workloadGroups() { return workloadGroups; }
    public List<SidecarResource> sidecars() { return sidecars; }
    public List<VirtualServiceResource> virtualServices() { return virtualServices; }
    public List<DestinationRuleResource> destinationRules() { return destinationRules; }
    public List<PeerAuthenticationResource> peerAuthentications() { return peerAuthentications; }

    /** The Namespace object of this name, if the mesh holds one. */
    public Optional<NamespaceInfo> namespace(String name) {
        return Optional.ofNullable(namespacesByName.get(name));
    }

    /** The services with this hostname (a Kubernetes Service and ServiceEntries may share one), in global order. */
    public List<MeshService> servicesNamed(String hostname) {
        return servicesByHostname.getOrDefault(hostname, List.of());
    }

    /**
     * The endpoints of one port of a service: for a Kubernetes service from its EndpointSlices (slice port matched
     * by the service port's name) when any exist, else from the pods its selector picks (at the target port); for a
     * ServiceEntry its inline endpoints, else the pods its workload selector picks, else (DNS resolution) its own
     * host name. An ExternalName service resolves to its external name. Results are cached; the list is immutable.
     */
    public List<ServiceEndpoint> endpointsOf(MeshService service, ServicePort port) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(port, "port");
        return endpointIndex().endpointsOf(service, port);
    }

    private EndpointIndex endpointIndex() {
        EndpointIndex index = endpointIndex;
        if (index == null) {
            synchronized (this) {
                index = endpointIndex;
                if (index == null) {
                    index = new EndpointIndex(endpointSlices, workloads);
                    endpointIndex = index;
                }
            }
        }
        return index;
    }

    /** The pod with this name in this namespace, if the registry knows it. */
    public Optional<WorkloadInstance> findWorkload(String name, String namespace) {
        return Optional.ofNullable(workloadsById.get(name + "." + namespace));
    }

    /**
     * The Kubernetes services that select this pod (its "service targets"): same namespace, non-empty selector
     * that is a subset of the pod's labels. Independent of exportTo and of any Sidecar (R41).
     */
    public List<MeshService> servicesSelecting(WorkloadInstance workload) {
        return selectingServicesByNamespace.getOrDefault(workload.namespace(), List.of()).stream()
                .filter(s -> workload.labels().entrySet().containsAll(s.selector().entrySet()))
                .toList();
    }
}
