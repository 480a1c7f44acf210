package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.EndpointSliceInfo;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.ServicePort;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Computes the config keys that differ between two snapshots. Every list of a snapshot is sorted, so each kind
 * is compared by one merge walk over both lists (no hashing of whole objects). Endpoints are compared only for
 * services whose inputs may have changed: the service record itself, its EndpointSlices, or a pod of its
 * namespace.
 */
final class ChangeDetector {

    private static final Comparator<ObjectMeta> BY_NAMESPACE_AND_NAME = SnapshotBuilder.BY_NAMESPACE_AND_NAME;

    private ChangeDetector() {
    }

    static ChangeSet between(MeshSnapshot before, MeshSnapshot after) {
        Set<ConfigKey> keys = new TreeSet<>();
        if (!before.meshConfig().equals(after.meshConfig())) {
            keys.add(ChangeSet.MESH_CONFIG_KEY);
        }
        mergeDiff(before.namespaces(), after.namespaces(), Comparator.comparing(n -> n.name()),
                (a, b) -> keys.add(ChangeSet.namespaceKey((a != null ? a : b).name())));
        mergeDiff(before.sidecars(), after.sidecars(), Comparator.comparing(s -> s.meta(), BY_NAMESPACE_AND_NAME),
                (a, b) -> keys.add((a != null ? a : b).key()));
        mergeDiff(before.virtualServices(), after.virtualServices(),
                Comparator.comparing(v -> v.meta(), BY_NAMESPACE_AND_NAME), (a, b) -> keys.add((a != null ? a : b).key()));
        mergeDiff(before.destinationRules(), after.destinationRules(),
                Comparator.comparing(d -> d.meta(), BY_NAMESPACE_AND_NAME), (a, b) -> keys.add((a != null ? a : b).key()));
        mergeDiff(before.peerAuthentications(), after.peerAuthentications(),
                Comparator.comparing(p -> p.meta(), BY_NAMESPACE_AND_NAME), (a, b) -> keys.add((a != null ? a : b).key()));

        Set<String> podNamespaces = new HashSet<>();
        mergeDiff(before.workloads(), after.workloads(), Comparator.comparing(w -> w.meta(), BY_NAMESPACE_AND_NAME),
                (a, b) -> {
                    var w = a != null ? a : b;
                    keys.add(ChangeSet.workloadKey(w.namespace(), w.name()));
                    podNamespaces.add(w.namespace());
                });

        Set<ConfigKey> serviceKeys = new TreeSet<>();
        mergeDiff(before.services(), after.services(), MeshSnapshot.GLOBAL_SERVICE_ORDER,
                (a, b) -> serviceKeys.add((a != null ? a : b).key()));
        keys.addAll(serviceKeys);

        Set<List<String>> sliceOwners = new HashSet<>();
        mergeDiff(before.endpointSlices(), after.endpointSlices(),
                Comparator.comparing(EndpointSliceInfo::meta, BY_NAMESPACE_AND_NAME), (a, b) -> {
                    for (EndpointSliceInfo s : new EndpointSliceInfo[] {a, b}) {
                        if (s != null) {
                            sliceOwners.add(List.of(s.meta().namespace(), s.serviceName()));
                        }
                    }
                });

        Set<ConfigKey> candidates = new TreeSet<>(serviceKeys);
        if (!podNamespaces.isEmpty() || !sliceOwners.isEmpty()) {
            for (MeshSnapshot side : List.of(before, after)) {
                for (MeshService s : side.services()) {
                    if (podNamespaces.contains(s.namespace())
                            || sliceOwners.contains(List.of(s.namespace(), s.name()))) {
                        candidates.add(s.key());
                    }
                }
            }
        }
        for (ConfigKey serviceKey : candidates) {
            if (!endpoints(before, serviceKey).equals(endpoints(after, serviceKey))) {
                keys.add(ChangeSet.endpointsKey(serviceKey.namespace(), serviceKey.name()));
            }
        }
        return new ChangeSet(before.version(), after.version(), keys);
    }

    /** Endpoints of every port of every service with this key (hostname and namespace), by registry/name/port. */
    private static Map<String, List<ServiceEndpoint>> endpoints(MeshSnapshot snapshot, ConfigKey serviceKey) {
        Map<String, List<ServiceEndpoint>> out = new HashMap<>();
        for (MeshService service : snapshot.servicesNamed(serviceKey.name())) {
            if (!service.namespace().equals(serviceKey.namespace())) {
                continue;
            }
            for (ServicePort port : service.ports()) {
                List<ServiceEndpoint> eps = snapshot.endpointsOf(service, port);
                if (!eps.isEmpty()) {
                    out.put(service.registry() + "|" + service.name() + "|" + port.port(), eps);
                }
            }
        }
        return out;
    }

    /**
     * Walks two lists sorted by {@code order} and reports each difference: {@code (old, null)} for an element only
     * before, {@code (null, new)} for one only after, {@code (old, new)} for a changed one. Elements that compare
     * equal in order but differ in value count as changed.
     */
    static <T> void mergeDiff(List<T> before, List<T> after, Comparator<? super T> order, BiConsumer<T, T> changed) {
        int i = 0;
        int j = 0;
        while (i < before.size() || j < after.size()) {
            if (i == before.size()) {
                changed.accept(null, after.get(j++));
                continue;
            }
            if (j == after.size()) {
                changed.accept(before.get(i++), null);
                continue;
            }
            T a = before.get(i);
            T b = after.get(j);
            int c = order.compare(a, b);
            if (c < 0) {
                changed.accept(a, null);
                i++;
            } else if (c > 0) {
                changed.accept(null, b);
                j++;
            } else {
                if (a != b && !a.equals(b)) {
                    changed.accept(a, b);
                }
                i++;
                j++;
            }
        }
    }
}
