package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.EndpointSliceInfo;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.NamespaceInfo;
import dev.meshpilot.core.model.PeerAuthenticationResource;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.model.WorkloadGroup;
import dev.meshpilot.core.model.WorkloadInstance;

import java.util.ArrayList;
import java.util.List;

/**
 * The model objects one source holds (e.g. one manifest file), as converted and before any mesh-wide
 * processing: no discovery-selector filtering, no synthesized pods. The {@link RegistryStore} keeps one of these
 * per source key and merges them into snapshots.
 *
 * @param pods        pods as given (Pod objects); pods for Deployments/StatefulSets are synthesized later
 * @param meshConfigs MeshConfig read from the control plane's {@code istio} ConfigMap (normally zero or one)
 */
public record MeshObjects(List<NamespaceInfo> namespaces, List<MeshService> services,
                          List<EndpointSliceInfo> endpointSlices, List<WorkloadInstance> pods,
                          List<WorkloadGroup> workloadGroups, List<SidecarResource> sidecars,
                          List<VirtualServiceResource> virtualServices,
                          List<DestinationRuleResource> destinationRules, List<MeshConfig> meshConfigs,
                          List<PeerAuthenticationResource> peerAuthentications) {

    public static final MeshObjects EMPTY = builder().build();

    public MeshObjects {
        namespaces = List.copyOf(namespaces);
        services = List.copyOf(services);
        endpointSlices = List.copyOf(endpointSlices);
        pods = List.copyOf(pods);
        workloadGroups = List.copyOf(workloadGroups);
        sidecars = List.copyOf(sidecars);
        virtualServices = List.copyOf(virtualServices);
        destinationRules = List.copyOf(destinationRules);
        meshConfigs = List.copyOf(meshConfigs);
        peerAuthentications = List.copyOf(peerAuthentications);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** Number of model objects held (a ServiceEntry with three hosts counts three). */
    public int size() {
        return namespaces.size() + services.size() + endpointSlices.size() + pods.size() + workloadGroups.size()
                + sidecars.size() + virtualServices.size() + destinationRules.size() + meshConfigs.size()
                + peerAuthentications.size();
    }

    /** Collects objects; {@link #addAll(MeshObjects)} appends another bundle in order. */
    public static final class Builder {
        private final List<NamespaceInfo> namespaces = new ArrayList<>();
        private final List<MeshService> services = new ArrayList<>();
        private final List<EndpointSliceInfo> endpointSlices = new ArrayList<>();
        private final List<WorkloadInstance> pods = new ArrayList<>();
        private final List<WorkloadGroup> workloadGroups = new ArrayList<>();
        private final List<SidecarResource> sidecars = new ArrayList<>();
        private final List<VirtualServiceResource> virtualServices = new ArrayList<>();
        private final List<DestinationRuleResource> destinationRules = new ArrayList<>();
        private final List<MeshConfig> meshConfigs = new ArrayList<>();
        private final List<PeerAuthenticationResource> peerAuthentications = new ArrayList<>();

        private Builder() {
        }

        public Builder namespace(NamespaceInfo value) { namespaces.add(value); return this; }
        public Builder service(MeshService value) { services.add(value); return this; }
        public Builder endpointSlice(EndpointSliceInfo value) { endpointSlices.add(value); return this; }
        public Builder pod(WorkloadInstance value) { pods.add(value); return this; }
        public Builder workloadGroup(WorkloadGroup value) { workloadGroups.add(value); return this; }
        public Builder sidecar(SidecarResource value) { sidecars.add(value); return this; }
        public Builder virtualService(VirtualServiceResource value) { virtualServices.add(value); return this; }
        public Builder destinationRule(DestinationRuleResource value) { destinationRules.add(value); return this; }
        public Builder meshConfig(MeshConfig value) { meshConfigs.add(value); return this; }
        public Builder peerAuthentication(PeerAuthenticationResource value) {
            peerAuthentications.add(value);
            return this;
        }

        public Builder addAll(MeshObjects other) {
            namespaces.addAll(other.namespaces);
            services.addAll(other.services);
            endpointSlices.addAll(other.endpointSlices);
            pods.addAll(other.pods);
            workloadGroups.addAll(other.workloadGroups);
            sidecars.addAll(other.sidecars);
            virtualServices.addAll(other.virtualServices);
            destinationRules.addAll(other.destinationRules);
            meshConfigs.addAll(other.meshConfigs);
            peerAuthentications.addAll(other.peerAuthentications);
            return this;
        }

        public MeshObjects build() {
            return new MeshObjects(namespaces, services, endpointSlices, pods, workloadGroups, sidecars,
                    virtualServices, destinationRules, meshConfigs, peerAuthentications);
        }
    }
}
