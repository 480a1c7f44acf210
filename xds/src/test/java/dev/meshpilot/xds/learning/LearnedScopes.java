package dev.meshpilot.xds.learning;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.SidecarScopes;

import java.util.List;
import java.util.Set;

/**
 * Learned scopes as the server will serve them, built here for tests: the upper bound from {@link SidecarScopes},
 * narrowed to the services the workload was seen calling, the rest carried as fallback services.
 */
public final class LearnedScopes {

    private LearnedScopes() {
    }

    /** The same mesh under {@code outboundTrafficPolicy: REGISTRY_ONLY}. */
    public static MeshSnapshot registryOnly(MeshSnapshot mesh) {
        return new MeshSnapshot(mesh.version(), mesh.meshConfig().withOutboundTrafficPolicy(
                OutboundTrafficPolicy.REGISTRY_ONLY), mesh.namespaces(), mesh.services(), mesh.endpointSlices(),
                mesh.workloads(), mesh.workloadGroups(), mesh.sidecars(), mesh.virtualServices(),
                mesh.destinationRules());
    }

    /** The upper bound narrowed to the services whose hostnames are {@code learned}, the rest as fallback. */
    public static ProxyScope narrow(ProxyScope upperBound, Set<String> learned) {
        List<MeshService> kept = upperBound.services().stream().filter(s -> learned.contains(s.hostname())).toList();
        List<MeshService> rest = upperBound.services().stream().filter(s -> !learned.contains(s.hostname())).toList();
        List<ProxyScope.EgressScope> egress = upperBound.egressListeners().stream()
                .map(e -> new ProxyScope.EgressScope(e.listener(),
                        e.services().stream().filter(s -> learned.contains(s.hostname())).toList(),
                        e.virtualServices()))
                .toList();
        return new ProxyScope(upperBound.key(), upperBound.name(), upperBound.proxyNamespace(), upperBound.sidecar(),
                egress, kept, upperBound.virtualServices(), upperBound.destinationRules(),
                upperBound.outboundTrafficPolicy(), upperBound.dependencies()).withFallbackServices(rest);
    }
}
