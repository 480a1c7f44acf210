package dev.meshpilot.insight.footprint;

import dev.meshpilot.core.model.WorkloadGroup;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.ScopeKey;
import dev.meshpilot.core.scope.ScopeReach;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.xds.generate.OutboundResources;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.resource.ProxyResources;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Measures every workload of a mesh: one row per Deployment/StatefulSet (its replicas share a scope, so one
 * representative pod is generated) and one per bare Pod. For each, the real scope is computed
 * ({@link SidecarScopes}) and the real resources generated ({@link ProxyConfigGenerator}); the footprint is read
 * from those resources. Workloads in skipped namespaces (the control plane's, by default) carry no sidecar and
 * are left out.
 */
public final class FootprintAnalyzer {

    private final ProxyConfigGenerator generator;
    private final ProxyFootprints footprints;
    private final ProxyKind kind;
    private final Set<String> skippedNamespaces;

    /**
     * @param kind              which proxy every workload is assumed to run (Envoy sidecar or proxyless gRPC)
     * @param skippedNamespaces namespaces whose workloads run no proxy (e.g. {@code istio-system})
     */
    public FootprintAnalyzer(ProxyConfigGenerator generator, ProxyFootprints footprints, ProxyKind kind,
                             Set<String> skippedNamespaces) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.footprints = Objects.requireNonNull(footprints, "footprints");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.skippedNamespaces = Set.copyOf(skippedNamespaces);
    }

    public ProxyKind kind() {
        return kind;
    }

    /** True if this workload gets a row (it is not in a skipped namespace). */
    public boolean analyses(WorkloadGroup group) {
        return !skippedNamespaces.contains(group.namespace());
    }

    /** Every analysed workload of the snapshot, ordered by namespace and name. */
    public List<WorkloadMeasurement> analyze(MeshSnapshot snapshot) {
        SidecarScopes scopes = new SidecarScopes(snapshot);
        Map<ScopeKey, OutboundResources> outbound = new HashMap<>();
        List<WorkloadMeasurement> rows = new ArrayList<>();
        for (Row row : rows(snapshot)) {
            ProxyScope scope = scopes.scopeFor(row.proxy());
            OutboundResources shared = outbound.computeIfAbsent(scope.key(),
                    k -> generator.outbound(snapshot, scope, kind));
            ProxyResources resources = generator.generate(snapshot, row.proxy(), shared);
            rows.add(new WorkloadMeasurement(row.ref(), footprints.of(row.proxy(), scope.name(), resources),
                    reachable(scope)));
        }
        return rows;
    }

    private record Row(WorkloadRef ref, ProxyIdentity proxy) {
    }

    private List<Row> rows(MeshSnapshot snapshot) {
        Map<String, List<WorkloadInstance>> podsByWorkload = new HashMap<>();
        List<WorkloadInstance> barePods = new ArrayList<>();
        Set<String> groupIds = new HashSet<>();
        for (WorkloadGroup g : snapshot.workloadGroups()) {
            groupIds.add(g.namespace() + "/" + g.name());
        }
        for (WorkloadInstance pod : snapshot.workloads()) {
            String owner = pod.namespace() + "/" + pod.workloadName();
            if (!pod.workloadName().isEmpty() && groupIds.contains(owner)) {
                podsByWorkload.computeIfAbsent(owner, k -> new ArrayList<>()).add(pod);
            } else {
                barePods.add(pod);
            }
        }
        List<Row> rows = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (WorkloadGroup g : snapshot.workloadGroups()) {
            if (!analyses(g) || !seen.add(g.namespace() + "/" + g.name())) {
                continue;
            }
            List<WorkloadInstance> pods = podsByWorkload.getOrDefault(g.namespace() + "/" + g.name(), List.of());
            Optional<WorkloadInstance> pod = pods.stream().min(Comparator.comparing(WorkloadInstance::name));
            // Pods given as objects are the real proxies; otherwise the registry synthesized `replicas` of them.
            int proxies = pods.isEmpty() ? g.replicas() : pods.size();
            ProxyIdentity proxy = pod
                    .map(p -> new ProxyIdentity(p.name(), p.namespace(), p.labels(), p.ip(), kind))
                    .orElseGet(() -> new ProxyIdentity(g.name() + "-0", g.namespace(), g.templateLabels(), "", kind));
            rows.add(new Row(new WorkloadRef(g.kind(), g.namespace(), g.name(), proxies, proxy.proxyId()), proxy));
        }
        for (WorkloadInstance pod : barePods) {
            if (skippedNamespaces.contains(pod.namespace())) {
                continue;
            }
            ProxyIdentity proxy = new ProxyIdentity(pod.name(), pod.namespace(), pod.labels(), pod.ip(), kind);
            rows.add(new Row(new WorkloadRef("Pod", pod.namespace(), pod.name(), 1, proxy.proxyId()), proxy));
        }
        rows.sort(Comparator.comparing((Row r) -> r.ref().namespace()).thenComparing(r -> r.ref().name())
                .thenComparing(r -> r.ref().kind()));
        return rows;
    }

    private static Set<String> reachable(ProxyScope scope) {
        return ScopeReach.of(scope).hostPorts();
    }
}
