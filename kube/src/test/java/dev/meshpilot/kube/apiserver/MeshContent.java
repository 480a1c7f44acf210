package dev.meshpilot.kube.apiserver;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.EndpointSliceInfo;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.NamespaceInfo;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;

import java.util.List;

/** A snapshot's content without its version: what two replicas must agree on. */
record MeshContent(MeshConfig meshConfig, List<NamespaceInfo> namespaces, List<MeshService> services,
                   List<EndpointSliceInfo> endpointSlices, List<WorkloadInstance> workloads,
                   List<SidecarResource> sidecars, List<VirtualServiceResource> virtualServices,
                   List<DestinationRuleResource> destinationRules) {

    static MeshContent of(MeshSnapshot s) {
        return new MeshContent(s.meshConfig(), s.namespaces(), s.services(), s.endpointSlices(), s.workloads(),
                s.sidecars(), s.virtualServices(), s.destinationRules());
    }
}
