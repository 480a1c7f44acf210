package dev.meshpilot.bench.peer;

import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.core.scope.ScopeKey;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.xds.generate.OutboundResources;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.ResourceSet;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * java-control-plane snapshots of a mesh, one per pod, built with meshpilot's own scoping and generation so both
 * servers serve the same bytes. The outbound part is generated once per scope and snapshots with equal resources
 * are shared, which is how a careful SimpleCache user would do it; each type carries its own content version, so
 * SimpleCache resends a type only when its content changed.
 */
public final class PeerSnapshots {

    /**
     * The generator options {@code meshpilot serve} uses by default ({@code --scoping shadow}: access logs for
     * learning on every listener), so that both servers serve byte-identical resources. Before, the peer served
     * them without access logs: ~9% fewer bytes at 1k x 1k in namespace scope.
     */
    private final ProxyConfigGenerator generator =
            new ProxyConfigGenerator(dev.meshpilot.xds.generate.GeneratorOptions.learning().withAccessLog(true));

    /** Snapshot per proxy id ({@code POD.NS}) of every pod, or of the pods named in {@code only} when not empty. */
    public Map<String, Snapshot> build(MeshSnapshot mesh, boolean proxyless, java.util.Set<String> only) {
        SidecarScopes scopes = new SidecarScopes(mesh);
        Map<ScopeKey, OutboundResources> outbound = new HashMap<>();
        Map<ProxyResources, Snapshot> shared = new HashMap<>();
        Map<String, Snapshot> out = new LinkedHashMap<>();
        ProxyKind kind = proxyless ? ProxyKind.PROXYLESS_GRPC : ProxyKind.SIDECAR;
        for (WorkloadInstance pod : mesh.workloads()) {
            if (!only.isEmpty() && !only.contains(pod.proxyId())) {
                continue;
            }
            ProxyIdentity base = ProxyIdentities.fromWorkload(pod);
            ProxyIdentity proxy = new ProxyIdentity(base.podName(), base.namespace(), base.labels(), base.ip(), kind);
            OutboundResources common = outbound.computeIfAbsent(scopes.keyFor(proxy),
                    k -> generator.outbound(mesh, scopes.scopeFor(proxy), kind));
            ProxyResources resources = generator.generate(mesh, proxy, common);
            out.put(proxy.proxyId(), shared.computeIfAbsent(resources, PeerSnapshots::toSnapshot));
        }
        return out;
    }

    private static Snapshot toSnapshot(ProxyResources resources) {
        ResourceSet clusters = resources.get(XdsType.CLUSTER);
        ResourceSet endpoints = resources.get(XdsType.ENDPOINT);
        ResourceSet listeners = resources.get(XdsType.LISTENER);
        ResourceSet routes = resources.get(XdsType.ROUTE);
        return Snapshot.create(
                protos(clusters, Cluster.class), clusters.version(),
                protos(endpoints, ClusterLoadAssignment.class), endpoints.version(),
                protos(listeners, Listener.class), listeners.version(),
                protos(routes, RouteConfiguration.class), routes.version(),
                List.of(), "0");
    }

    private static <T> List<T> protos(ResourceSet set, Class<T> type) {
        return set.resources().stream().map(XdsResource::proto).map(type::cast).toList();
    }
}
