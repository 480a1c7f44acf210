package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.EndpointSliceInfo;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.NamespaceInfo;
import dev.meshpilot.core.model.PeerAuthenticationResource;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.model.WorkloadGroup;
import dev.meshpilot.core.model.WorkloadInstance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns the objects of all sources into one {@link MeshSnapshot}: the first object of each identity wins (sources
 * in the order given), the MeshConfig comes from the sources or the defaults, discovery selectors drop every
 * namespaced object of an unselected namespace (R12), given pods are attributed to the Deployment/StatefulSet
 * that selects them, and each workload without pods gets synthesized ones.
 *
 * <p>Made-up addresses, for manifests trimmed of them: a synthesized pod gets a stable address in 10.64.0.0/10, and
 * a Kubernetes Service that is neither headless ({@code clusterIP: None}) nor ExternalName and has no
 * {@code clusterIP}/{@code clusterIPs} gets a stable ClusterIP in 10.192.0.0/12, as Kubernetes gives every such
 * Service one. Both derive from the object's namespace/name and never repeat an address of the snapshot (given
 * pods, EndpointSlices, service addresses, ServiceEntry endpoints); the two ranges are disjoint.
 */
public final class SnapshotBuilder {

    /** Namespace, then name: the order of every namespaced list of a snapshot. */
    static final Comparator<ObjectMeta> BY_NAMESPACE_AND_NAME = (a, b) -> {
        int c = a.namespace().compareTo(b.namespace());
        return c != 0 ? c : a.name().compareTo(b.name());
    };

    private SnapshotBuilder() {
    }

    /**
     * Builds a snapshot from source bundles, earlier bundles winning over later ones for the same object.
     *
     * @param defaults the MeshConfig used when no source holds one
     */
    public static MeshSnapshot build(long version, MeshConfig defaults, Collection<MeshObjects> sources) {
        Objects.requireNonNull(defaults, "defaults");
        MeshObjects.Builder merged = MeshObjects.builder();
        sources.forEach(merged::addAll);
        return build(version, defaults, merged.build());
    }

    /** Builds a snapshot from one bundle (duplicates: the first one wins). */
    public static MeshSnapshot build(long version, MeshConfig defaults, MeshObjects objects) {
        MeshConfig meshConfig = objects.meshConfigs().isEmpty() ? defaults : objects.meshConfigs().get(0);

        List<NamespaceInfo> namespaces = sorted(firstOfEach(objects.namespaces(), NamespaceInfo::name),
                Comparator.comparing(NamespaceInfo::name));
        Predicate<String> selected = namespaceFilter(meshConfig, namespaces);

        List<MeshService> services = firstOfEach(objects.services(),
                s -> List.of(s.registry(), s.namespace(), s.name(), s.hostname()))
                .stream().filter(s -> selected.test(s.namespace())).toList();
        List<EndpointSliceInfo> slices = sorted(inSelected(firstOfEach(objects.endpointSlices(),
                e -> nsName(e.meta())), EndpointSliceInfo::meta, selected), Comparator.comparing(EndpointSliceInfo::meta,
                BY_NAMESPACE_AND_NAME));
        List<WorkloadGroup> groups = sorted(inSelected(firstOfEach(objects.workloadGroups(),
                g -> List.of(g.kind(), g.namespace(), g.name())), WorkloadGroup::meta, selected),
                Comparator.comparing(WorkloadGroup::namespace).thenComparing(WorkloadGroup::kind)
                        .thenComparing(WorkloadGroup::name));
        List<WorkloadInstance> givenPods = inSelected(firstOfEach(objects.pods(), p -> nsName(p.meta())),
                WorkloadInstance::meta, selected);
        List<SidecarResource> sidecars = sorted(inSelected(firstOfEach(objects.sidecars(), s -> nsName(s.meta())),
                SidecarResource::meta, selected), Comparator.comparing(SidecarResource::meta, BY_NAMESPACE_AND_NAME));
        List<VirtualServiceResource> virtualServices = sorted(inSelected(firstOfEach(objects.virtualServices(),
                v -> nsName(v.meta())), VirtualServiceResource::meta, selected),
                Comparator.comparing(VirtualServiceResource::meta, BY_NAMESPACE_AND_NAME));
        List<DestinationRuleResource> destinationRules = sorted(inSelected(firstOfEach(objects.destinationRules(),
                d -> nsName(d.meta())), DestinationRuleResource::meta, selected),
                Comparator.comparing(DestinationRuleResource::meta, BY_NAMESPACE_AND_NAME));
        List<PeerAuthenticationResource> peerAuthentications = sorted(inSelected(firstOfEach(
                objects.peerAuthentications(), p -> nsName(p.meta())), PeerAuthenticationResource::meta, selected),
                Comparator.comparing(PeerAuthenticationResource::meta, BY_NAMESPACE_AND_NAME));

        Set<String> usedAddresses = usedAddresses(givenPods, slices, services);
        List<MeshService> addressed = withClusterIps(services, usedAddresses);
        List<WorkloadInstance> workloads = new PodSynthesis(groups, givenPods, usedAddresses).workloads();
        List<MeshService> resolved = NamedTargetPorts.resolve(addressed, workloads);
        return new MeshSnapshot(version, meshConfig, namespaces, resolved, slices, workloads, groups, sidecars,
                virtualServices, destinationRules, peerAuthentications);
    }

    /** Every address the objects themselves carry: given pods, EndpointSlice endpoints, service addresses, entries. */
    private static Set<String> usedAddresses(List<WorkloadInstance> pods, List<EndpointSliceInfo> slices,
                                             List<MeshService> services) {
        Set<String> used = new HashSet<>();
        pods.forEach(p -> used.add(p.ip()));
        slices.forEach(s -> s.endpoints().forEach(e -> used.addAll(e.addresses())));
        for (MeshService service : services) {
            used.addAll(service.addresses());
            service.endpoints().forEach(e -> used.add(e.address()));
        }
        return used;
    }

    /**
     * Gives a made-up ClusterIP to each Kubernetes Service that should have one and was written without: load
     * balanced (neither headless, which resolves as passthrough, nor ExternalName, which resolves by DNS) and with
     * no address. Allocated in namespace/name order, so the result does not depend on the input order.
     */
    private static List<MeshService> withClusterIps(List<MeshService> services, Set<String> used) {
        Map<MeshService, String> assigned = new IdentityHashMap<>();
        services.stream()
                .filter(s -> s.isKubernetes() && s.resolution() == MeshService.Resolution.CLIENT_SIDE_LB
                        && s.addresses().isEmpty())
                .sorted(Comparator.comparing(MeshService::origin, BY_NAMESPACE_AND_NAME))
                .forEach(s -> assigned.put(s, SyntheticAddresses.SERVICES.allocate(s.namespace() + "/" + s.name(), used)));
        if (assigned.isEmpty()) {
            return services;
        }
        return services.stream().map(s -> {
            String ip = assigned.get(s);
            return ip == null ? s : new MeshService(s.hostname(), s.namespace(), s.registry(), s.origin(), s.ports(),
                    s.selector(), s.declaredExportTo(), s.resolution(), List.of(ip), s.meshExternal(), s.endpoints());
        }).toList();
    }

    /**
     * R12: with no selectors every namespace is selected; otherwise a namespace is selected when a Namespace object
     * of that name exists and one selector matches its labels.
     */
    private static Predicate<String> namespaceFilter(MeshConfig meshConfig, List<NamespaceInfo> namespaces) {
        if (meshConfig.discoverySelectors().isEmpty()) {
            return ns -> true;
        }
        Set<String> selected = new HashSet<>();
        for (NamespaceInfo ns : namespaces) {
            if (meshConfig.selectsNamespace(ns.labels())) {
                selected.add(ns.name());
            }
        }
        return selected::contains;
    }

    private static List<Object> nsName(ObjectMeta meta) {
        return List.of(meta.namespace(), meta.name());
    }

    private static <T> List<T> firstOfEach(List<T> items, Function<T, Object> identity) {
        Set<Object> seen = new HashSet<>();
        List<T> out = new ArrayList<>(items.size());
        for (T item : items) {
            if (seen.add(identity.apply(item))) {
                out.add(item);
            }
        }
        return out;
    }

    private static <T> List<T> inSelected(List<T> items, Function<T, ObjectMeta> meta, Predicate<String> selected) {
        return items.stream().filter(i -> selected.test(meta.apply(i).namespace())).toList();
    }

    private static <T> List<T> sorted(List<T> items, Comparator<T> order) {
        return items.stream().sorted(order).toList();
    }

    /** Attributes given pods to workloads and synthesizes pods for workloads that have none. */
    private static final class PodSynthesis {
        private final List<WorkloadGroup> groups;
        private final List<WorkloadInstance> givenPods;
        private final Map<String, List<WorkloadGroup>> groupsByNamespace = new HashMap<>();
        private final Set<String> usedIps;

        PodSynthesis(List<WorkloadGroup> groups, List<WorkloadInstance> givenPods, Set<String> usedIps) {
            this.groups = groups;
            groups.forEach(g -> groupsByNamespace.computeIfAbsent(g.namespace(), k -> new ArrayList<>()).add(g));
            this.givenPods = givenPods;
            this.usedIps = usedIps;
        }

        List<WorkloadInstance> workloads() {
            List<WorkloadInstance> out = new ArrayList<>();
            Set<String> podIds = new HashSet<>();
            Set<List<String>> groupsWithPods = new HashSet<>();
            for (WorkloadInstance pod : givenPods) {
                WorkloadInstance attributed = attribute(pod);
                out.add(attributed);
                podIds.add(attributed.proxyId());
                groupsWithPods.add(List.of(attributed.namespace(), attributed.workloadKind(), attributed.workloadName()));
            }
            List<WorkloadInstance> synthesized = new ArrayList<>();
            for (WorkloadGroup group : groups) {
                if (groupsWithPods.contains(List.of(group.namespace(), group.kind(), group.name()))) {
                    continue;
                }
                for (int i = 0; i < group.replicas(); i++) {
                    String name = group.name() + "-" + i;
                    ObjectMeta meta = new ObjectMeta(group.namespace(), name, group.meta().creationTimestamp(),
                            group.templateLabels(), group.templateAnnotations());
                    WorkloadInstance pod = new WorkloadInstance(meta, "", group.serviceAccount(), group.kind(),
                            group.name(), null, true, group.containerPorts());
                    if (podIds.add(pod.proxyId())) {
                        synthesized.add(pod);
                    }
                }
            }
            synthesized.sort(Comparator.comparing(WorkloadInstance::meta, BY_NAMESPACE_AND_NAME));
            for (WorkloadInstance pod : synthesized) {
                out.add(pod.withIp(SyntheticAddresses.PODS.allocate(pod.namespace() + "/" + pod.name(), usedIps)));
            }
            out.sort(Comparator.comparing(WorkloadInstance::meta, BY_NAMESPACE_AND_NAME));
            return out;
        }

        /** A given pod keeps its owner if known, else the first workload (namespace, kind, name order) selecting it. */
        private WorkloadInstance attribute(WorkloadInstance pod) {
            if (!pod.workloadName().isEmpty()) {
                return pod;
            }
            for (WorkloadGroup group : groupsByNamespace.getOrDefault(pod.namespace(), List.of())) {
                if (isNonEmpty(group) && group.selector().matches(pod.labels())) {
                    return pod.withOwner(group.kind(), group.name());
                }
            }
            return pod;
        }

        private static boolean isNonEmpty(WorkloadGroup group) {
            return !group.selector().matchLabels().isEmpty() || !group.selector().matchExpressions().isEmpty();
        }
    }
}
