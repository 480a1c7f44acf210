package dev.meshpilot.xds.generate;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ConsistencyCheck;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.ResourceSet;
import dev.meshpilot.xds.resource.XdsResource;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The entry point of xDS generation: {@code (MeshSnapshot, ProxyIdentity, ProxyScope) -> ProxyResources}, for
 * Envoy sidecars (Istio layout; istio-proxy or upstream Envoy) and proxyless gRPC clients. Stateless and thread-safe.
 *
 * <p>Generation is split so that callers can share work: {@link #outbound} depends only on the snapshot, the
 * scope and the proxy kind (cache it per {@code ScopeKey} and kind), while {@link #generate(MeshSnapshot,
 * ProxyIdentity, OutboundResources)} adds the per-workload inbound part and checks the result for consistency.
 * The same mesh always yields byte-identical resources, whatever the order of its inputs.
 */
public final class ProxyConfigGenerator {

    private final GeneratorOptions options;

    /** Today's generation: {@link GeneratorOptions#defaults()} (no access logs). */
    public ProxyConfigGenerator() {
        this(GeneratorOptions.defaults());
    }

    public ProxyConfigGenerator(GeneratorOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The options this generator was made with. */
    public GeneratorOptions options() {
        return options;
    }

    /** Everything the proxy is served, in one call (no sharing). */
    public ProxyResources generate(MeshSnapshot snapshot, ProxyIdentity proxy, ProxyScope scope) {
        return generate(snapshot, proxy, outbound(snapshot, scope, proxy.kind()));
    }

    /** The shareable outbound part for every proxy of this scope and kind. */
    public OutboundResources outbound(MeshSnapshot snapshot, ProxyScope scope, ProxyKind kind) {
        return outbound(snapshot, scope, kind, LoadAssignmentMemo.none());
    }

    /** As {@link #outbound(MeshSnapshot, ProxyScope, ProxyKind)}, sharing ClusterLoadAssignments through a memo. */
    public OutboundResources outbound(MeshSnapshot snapshot, ProxyScope scope, ProxyKind kind,
                                      LoadAssignmentMemo memo) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(memo, "memo");
        List<ServiceClusters.OutboundCluster> specs = switch (kind) {
            case SIDECAR, ENVOY -> ServiceClusters.forSidecar(scope);
            case PROXYLESS_GRPC -> ServiceClusters.forGrpc(scope);
        };
        Map<XdsType, List<XdsResource>> out = switch (kind) {
            case SIDECAR, ENVOY -> SidecarGenerator.outbound(snapshot, scope, specs, memo, options, kind);
            case PROXYLESS_GRPC -> GrpcGenerator.outbound(snapshot, scope, specs, memo);
        };
        return new OutboundResources(kind, scope, snapshot.version(), memo.interner().internAll(out), specs);
    }

    /**
     * The proxy's full resources from a (possibly cached) outbound part plus its own inbound part.
     *
     * @throws IllegalArgumentException when the outbound part was made for another proxy kind
     * @throws dev.meshpilot.xds.resource.InconsistentResourcesException when a reference would dangle (a bug)
     */
    public ProxyResources generate(MeshSnapshot snapshot, ProxyIdentity proxy, OutboundResources outbound) {
        return generate(snapshot, proxy, outbound, ProxyResourcesMemo.none());
    }

    /**
     * As {@link #generate(MeshSnapshot, ProxyIdentity, OutboundResources)}, returning the resources already made for
     * a proxy with the same outbound part and equal inbound inputs when the memo holds them.
     */
    public ProxyResources generate(MeshSnapshot snapshot, ProxyIdentity proxy, OutboundResources outbound,
                                   ProxyResourcesMemo memo) {
        Objects.requireNonNull(proxy, "proxy");
        if (outbound.kind() != proxy.kind()) {
            throw new IllegalArgumentException("outbound resources for " + outbound.kind() + " given for a "
                    + proxy.kind() + " proxy " + proxy.proxyId());
        }
        InboundInputs inputs = InboundInputs.of(snapshot, proxy, outbound.scope());
        return memo.get(outbound, inputs, () -> assemble(proxy, outbound, inputs, memo));
    }

    private static ProxyResources assemble(ProxyIdentity proxy, OutboundResources outbound, InboundInputs inputs,
                                           ProxyResourcesMemo memo) {
        Map<XdsType, List<XdsResource>> inbound = proxy.kind().isEnvoy()
                ? memo.inbound(inputs, SidecarGenerator::inbound) : Map.of();
        // The outbound sets are shared and were checked when generated; the proxy's own resources join them and
        // are checked against the result. Types without own resources keep the shared set itself.
        EnumMap<XdsType, ResourceSet> sets = new EnumMap<>(XdsType.class);
        List<XdsResource> own = new ArrayList<>();
        for (XdsType type : XdsType.values()) {
            List<XdsResource> mine = inbound.getOrDefault(type, List.of());
            sets.put(type, outbound.set(type).plus(mine));
            own.addAll(mine);
        }
        ProxyResources resources = ProxyResources.of(proxy.kind(), sets);
        ConsistencyCheck.requireConsistent(resources, own, proxy.proxyId());
        return resources;
    }

    /**
     * The outbound part with its endpoints regenerated from a newer snapshot and everything else kept: what an
     * endpoint-only change needs. The scope must still be valid for the new snapshot. DNS clusters carry their
     * endpoints inline, so those clusters (CDS) are refreshed too; if a DNS cluster appears or disappears (its
     * endpoints became non-empty or empty) listeners and routes depend on it, and the whole outbound part is
     * regenerated.
     */
    public OutboundResources refreshEndpoints(MeshSnapshot snapshot, OutboundResources outbound) {
        return refreshEndpoints(snapshot, outbound, LoadAssignmentMemo.none());
    }

    /**
     * As {@link #refreshEndpoints(MeshSnapshot, OutboundResources)}, rebuilding only the ClusterLoadAssignments the
     * memo does not hold for equal endpoints.
     */
    public OutboundResources refreshEndpoints(MeshSnapshot snapshot, OutboundResources outbound,
                                              LoadAssignmentMemo memo) {
        List<ServiceClusters.OutboundCluster> specs = outbound.clusterSpecs();
        if (outbound.kind().isEnvoy() && LearningFallback.dependsOnEndpoints(outbound.scope())) {
            return outbound(snapshot, outbound.scope(), outbound.kind(), memo); // fallback chains list endpoint IPs
        }
        if (outbound.kind().isEnvoy()) {
            // Rebuilt: DNS clusters (their endpoints are inline) and, for istio-proxy, the clusters whose endpoints
            // changed (their assignment differs): their auto-mTLS subject alt names follow the endpoints' service
            // accounts. The others are kept as they are, and so is the list when the same clusters come out.
            List<XdsResource> assignments = LoadAssignments.forClusters(snapshot, specs, outbound.kind(), memo);
            java.util.Set<String> moved = outbound.kind().hasIstioExtensions()
                    ? changedAssignments(outbound.get(XdsType.ENDPOINT), assignments) : java.util.Set.of();
            List<ServiceClusters.OutboundCluster> affected = specs.stream()
                    .filter(spec -> spec.discovery() == ServiceClusters.Discovery.STRICT_DNS
                            || spec.discovery() == ServiceClusters.Discovery.LOGICAL_DNS
                            || moved.contains(spec.name().value()))
                    .toList();
            if (affected.isEmpty()) {
                return outbound.withEndpoints(snapshot.version(), outbound.get(XdsType.CLUSTER), assignments);
            }
            Map<String, XdsResource> now = SidecarGenerator.outboundClusters(snapshot, affected, outbound.kind(), memo);
            List<XdsResource> clusters = outbound.get(XdsType.CLUSTER);
            java.util.Set<String> held = new java.util.HashSet<>();
            clusters.forEach(c -> held.add(c.name()));
            java.util.Set<String> affectedNames = new java.util.HashSet<>();
            affected.forEach(spec -> affectedNames.add(spec.name().value()));
            if (now.keySet().stream().anyMatch(n -> !held.contains(n))) {
                return outbound(snapshot, outbound.scope(), outbound.kind(), memo); // a DNS cluster appeared
            }
            List<XdsResource> refreshed = new ArrayList<>(clusters.size());
            boolean changed = false;
            for (XdsResource c : clusters) {
                XdsResource fresh = now.get(c.name());
                if (fresh == null && affectedNames.contains(c.name())) {
                    return outbound(snapshot, outbound.scope(), outbound.kind(), memo); // a DNS cluster went away
                }
                boolean same = fresh == null || fresh.equals(c);
                changed |= !same;
                refreshed.add(same ? c : fresh);
            }
            return outbound.withEndpoints(snapshot.version(), changed ? List.copyOf(refreshed) : clusters,
                    assignments);
        }
        return outbound.withEndpoints(snapshot.version(), outbound.get(XdsType.CLUSTER),
                LoadAssignments.forClusters(snapshot, specs, ProxyKind.PROXYLESS_GRPC, memo));
    }

    /** Names of the assignments that differ from (or are missing in) {@code before}. */
    private static java.util.Set<String> changedAssignments(List<XdsResource> before, List<XdsResource> after) {
        Map<String, XdsResource> held = new java.util.HashMap<>();
        before.forEach(r -> held.put(r.name(), r));
        java.util.Set<String> moved = new java.util.HashSet<>();
        for (XdsResource a : after) {
            if (!a.equals(held.get(a.name()))) {
                moved.add(a.name());
            }
        }
        return moved;
    }
}
