package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.EndpointSliceInfo;
import dev.meshpilot.core.model.Locality;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.ServiceEndpoint.Health;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Derives the endpoints of a service port from one snapshot's EndpointSlices, pods and ServiceEntries, and
 * remembers the answers (the snapshot is immutable, so they never go stale).
 */
final class EndpointIndex {

    private record SliceOwner(String namespace, String serviceName) {
    }

    private record CacheKey(MeshService service, ServicePort port) {
    }

    private final Map<SliceOwner, List<EndpointSliceInfo>> slicesByService = new HashMap<>();
    private final Map<String, List<WorkloadInstance>> podsByNamespace = new HashMap<>();
    private final Map<String, WorkloadInstance> podsById = new HashMap<>();
    private final Map<String, WorkloadInstance> podsByIp = new HashMap<>();
    private final Map<CacheKey, List<ServiceEndpoint>> cache = new ConcurrentHashMap<>();

    EndpointIndex(List<EndpointSliceInfo> slices, List<WorkloadInstance> pods) {
        for (EndpointSliceInfo slice : slices) {
            slicesByService.computeIfAbsent(new SliceOwner(slice.meta().namespace(), slice.serviceName()),
                    k -> new ArrayList<>()).add(slice);
        }
        for (WorkloadInstance pod : pods) {
            podsByNamespace.computeIfAbsent(pod.namespace(), k -> new ArrayList<>()).add(pod);
            podsById.putIfAbsent(pod.proxyId(), pod);
            if (!pod.ip().isEmpty()) {
                podsByIp.putIfAbsent(pod.namespace() + "/" + pod.ip(), pod);
            }
        }
    }

    List<ServiceEndpoint> endpointsOf(MeshService service, ServicePort port) {
        return cache.computeIfAbsent(new CacheKey(service, port), k -> compute(service, port));
    }

    /** True if the service has EndpointSlices (then they alone decide its endpoints). */
    boolean hasSlices(MeshService service) {
        return service.isKubernetes() && slicesByService.containsKey(new SliceOwner(service.namespace(), service.name()));
    }

    private List<ServiceEndpoint> compute(MeshService service, ServicePort port) {
        if (!service.endpoints().isEmpty()) {
            return inline(service, port);
        }
        if (service.isKubernetes()) {
            List<EndpointSliceInfo> slices = slicesByService.get(new SliceOwner(service.namespace(), service.name()));
            if (slices != null) {
                return fromSlices(service, port, slices);
            }
            return fromSelectedPods(service, port);
        }
        if (!service.selector().isEmpty()) {
            return fromSelectedPods(service, port);
        }
        if ((service.resolution() == MeshService.Resolution.DNS
                || service.resolution() == MeshService.Resolution.DNS_ROUND_ROBIN) && !service.isWildcard()) {
            // A DNS ServiceEntry without endpoints resolves its own host name.
            return List.of(new ServiceEndpoint(service.hostname(), port.targetPort(), Health.HEALTHY, "", Map.of(),
                    Locality.UNKNOWN));
        }
        return List.of();
    }

    private List<ServiceEndpoint> fromSlices(MeshService service, ServicePort port, List<EndpointSliceInfo> slices) {
        List<ServiceEndpoint> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (EndpointSliceInfo slice : slices) {
            EndpointSliceInfo.SlicePort slicePort = slice.ports().stream()
                    .filter(p -> p.name().equals(port.name())).findFirst().orElse(null);
            if (slicePort == null) {
                continue;
            }
            for (EndpointSliceInfo.SliceEndpoint e : slice.endpoints()) {
                if (e.addresses().isEmpty()) {
                    continue;
                }
                String address = e.addresses().get(0);
                if (!seen.add(address + ":" + slicePort.port())) {
                    continue;
                }
                WorkloadInstance pod = e.targetPodName().isEmpty()
                        ? podsByIp.get(service.namespace() + "/" + address)
                        : podsById.get(e.targetPodName() + "." + service.namespace());
                Locality locality = e.locality().isKnown() || pod == null ? e.locality() : pod.locality();
                String podName = pod != null ? pod.name() : e.targetPodName();
                out.add(new ServiceEndpoint(address, slicePort.port(), health(e), podName,
                        pod == null ? Map.of() : pod.labels(), locality, 0, pod != null && pod.inMesh()));
            }
        }
        return List.copyOf(out);
    }

    /** Kubernetes endpoint conditions to health: ready; else serving while terminating is draining; else unhealthy. */
    static Health health(EndpointSliceInfo.SliceEndpoint e) {
        if (e.ready()) {
            return Health.HEALTHY;
        }
        if (e.serving() && e.terminating()) {
            return Health.DRAINING;
        }
        return Health.UNHEALTHY;
    }

    /**
     * A selected pod's health as the EndpointSlice controller would publish it: ready only while Ready and not
     * terminating; a terminating pod that is still Ready keeps serving, so it drains.
     */
    static Health health(WorkloadInstance pod) {
        if (pod.ready() && !pod.terminating()) {
            return Health.HEALTHY;
        }
        return pod.ready() ? Health.DRAINING : Health.UNHEALTHY;
    }

    private List<ServiceEndpoint> fromSelectedPods(MeshService service, ServicePort port) {
        if (service.selector().isEmpty()) {
            return List.of();
        }
        List<ServiceEndpoint> out = new ArrayList<>();
        for (WorkloadInstance pod : podsByNamespace.getOrDefault(service.namespace(), List.of())) {
            if (!pod.ip().isEmpty() && pod.labels().entrySet().containsAll(service.selector().entrySet())) {
                out.add(new ServiceEndpoint(pod.ip(), NamedTargetPorts.targetOn(pod, port), health(pod), pod.name(),
                        pod.labels(), pod.locality(), 0, pod.inMesh()));
            }
        }
        return List.copyOf(out);
    }

    private static List<ServiceEndpoint> inline(MeshService service, ServicePort port) {
        List<ServiceEndpoint> out = new ArrayList<>();
        for (MeshService.ServiceEntryEndpoint e : service.endpoints()) {
            Integer mapped = e.ports().get(port.name());
            int number = mapped != null ? mapped : port.targetPort();
            out.add(new ServiceEndpoint(e.address(), number, Health.HEALTHY, "", e.labels(), locality(e.locality()),
                    e.weight()));
        }
        return List.copyOf(out);
    }

    /** Istio's locality string {@code region/zone/subzone}. */
    static Locality locality(String value) {
        if (value == null || value.isEmpty()) {
            return Locality.UNKNOWN;
        }
        String[] parts = value.split("/", -1);
        return new Locality(parts[0], parts.length > 1 ? parts[1] : "");
    }
}
