package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.EndpointSliceInfo;
import dev.meshpilot.core.model.LabelSelector;
import dev.meshpilot.core.model.Locality;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.NamespaceInfo;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.WorkloadGroup;
import dev.meshpilot.core.model.WorkloadInstance;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small model objects for registry tests. */
final class Fixtures {

    private Fixtures() {
    }

    static NamespaceInfo namespace(String name, Map<String, String> labels) {
        return new NamespaceInfo(name, labels);
    }

    static MeshService service(String namespace, String name, Map<String, String> selector, ServicePort... ports) {
        return new MeshService(name + "." + namespace + ".svc.cluster.local", namespace,
                MeshService.Registry.KUBERNETES, ObjectMeta.of(namespace, name), List.of(ports), selector, List.of(),
                MeshService.Resolution.CLIENT_SIDE_LB, List.of(), false, List.of());
    }

    static ServicePort http(int port, int targetPort) {
        return new ServicePort("http", port, targetPort, "", Protocol.HTTP);
    }

    static WorkloadInstance pod(String namespace, String name, String ip, Map<String, String> labels) {
        return new WorkloadInstance(new ObjectMeta(namespace, name, null, labels, Map.of()), ip, "sa", "", "",
                Locality.UNKNOWN, false);
    }

    static WorkloadGroup deployment(String namespace, String name, int replicas, Map<String, String> labels) {
        return new WorkloadGroup("Deployment", ObjectMeta.of(namespace, name), replicas, labels, name + "-sa",
                new LabelSelector(labels, List.of()));
    }

    static EndpointSliceInfo slice(String namespace, String name, String service, List<EndpointSliceInfo.SlicePort> ports,
                                   EndpointSliceInfo.SliceEndpoint... endpoints) {
        return new EndpointSliceInfo(ObjectMeta.of(namespace, name), service, ports, List.of(endpoints));
    }

    static EndpointSliceInfo.SliceEndpoint ready(String ip, String pod) {
        return new EndpointSliceInfo.SliceEndpoint(List.of(ip), true, true, false, pod, Locality.UNKNOWN);
    }

    static SidecarResource sidecar(String namespace, String name, String... hosts) {
        return new SidecarResource(ObjectMeta.of(namespace, name), Optional.empty(),
                List.of(SidecarResource.EgressListener.ofHosts(hosts)), List.of(), Optional.empty());
    }

    static MeshObjects objects(Object... items) {
        MeshObjects.Builder b = MeshObjects.builder();
        for (Object item : items) {
            if (item instanceof NamespaceInfo n) {
                b.namespace(n);
            } else if (item instanceof MeshService s) {
                b.service(s);
            } else if (item instanceof WorkloadInstance p) {
                b.pod(p);
            } else if (item instanceof WorkloadGroup g) {
                b.workloadGroup(g);
            } else if (item instanceof EndpointSliceInfo e) {
                b.endpointSlice(e);
            } else if (item instanceof SidecarResource s) {
                b.sidecar(s);
            } else if (item instanceof dev.meshpilot.core.model.VirtualServiceResource v) {
                b.virtualService(v);
            } else if (item instanceof dev.meshpilot.core.model.DestinationRuleResource d) {
                b.destinationRule(d);
            } else if (item instanceof dev.meshpilot.core.model.MeshConfig m) {
                b.meshConfig(m);
            } else {
                throw new IllegalArgumentException("unknown fixture " + item);
            }
        }
        return b.build();
    }
}
