package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.ConfigKey.Kind;
import dev.meshpilot.core.model.EndpointSliceInfo;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ServicePort;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Computes the config keys that differ between two snapshots. Endpoints are compared only for services whose
 * inputs may have changed: the service record itself, its EndpointSlices, or any pod of its namespace.
 */
final class ChangeDetector {

    static final String MESH_CONFIG_NAME = "mesh";

    private ChangeDetector() {
    }

    static ChangeSet between(MeshSnapshot before, MeshSnapshot after) {
        Set<ConfigKey> keys = new TreeSet<>();
        if (!before.meshConfig().equals(after.meshConfig())) {
            keys.add(ConfigKey.of(Kind.MESH_CONFIG, "", MESH_CONFIG_NAME));
        }
        diff(before.namespaces(), after.namespaces(), n -> ConfigKey.of(Kind.NAMESPACE, "", n.name()), keys);
        diff(before.sidecars(), after.sidecars(), s -> s.key(), keys);
        diff(before.virtualServices(), after.virtualServices(), v -> v.key(), keys);
        diff(before.destinationRules(), after.destinationRules(), d -> d.key(), keys);
        Set<ConfigKey> workloadKeys = new HashSet<>();
        diff(before.workloads(), after.workloads(), w -> ConfigKey.of(Kind.WORKLOAD, w.namespace(), w.name()),
                workloadKeys);
        keys.addAll(workloadKeys);

        Map<ConfigKey, List<MeshService>> servicesBefore = byKey(before.services());
        Map<ConfigKey, List<MeshService>> servicesAfter = byKey(after.services());
        Set<ConfigKey> serviceKeys = new HashSet<>();
        changedKeys(servicesBefore, servicesAfter, serviceKeys);
        keys.addAll(serviceKeys);

        Set<String> podNamespaces = new HashSet<>();
        workloadKeys.forEach(k -> podNamespaces.add(k.namespace()));
        Set<List<String>> sliceOwners = new HashSet<>();
        Set<EndpointSliceInfo> slicesAfter = new HashSet<>(after.endpointSlices());
        Set<EndpointSliceInfo> slicesBefore = new HashSet<>(before.endpointSlices());
        for (EndpointSliceInfo s : before.endpointSlices()) {
            if (!slicesAfter.contains(s)) {
                sliceOwners.add(List.of(s.meta().namespace(), s.serviceName()));
            }
        }
        for (EndpointSliceInfo s : after.endpointSlices()) {
            if (!slicesBefore.contains(s)) {
                sliceOwners.add(List.of(s.meta().namespace(), s.serviceName()));
            }
        }

        Set<ConfigKey> candidates = new TreeSet<>(serviceKeys);
        for (Map<ConfigKey, List<MeshService>> side : List.of(servicesBefore, servicesAfter)) {
            for (Map.Entry<ConfigKey, List<MeshService>> e : side.entrySet()) {
                for (MeshService s : e.getValue()) {
                    if (podNamespaces.contains(s.namespace())
                            || sliceOwners.contains(List.of(s.namespace(), s.name()))) {
                        candidates.add(e.getKey());
                    }
                }
            }
        }
        for (ConfigKey serviceKey : candidates) {
            Map<String, List<ServiceEndpoint>> old = endpoints(before, servicesBefore.get(serviceKey));
            Map<String, List<ServiceEndpoint>> now = endpoints(after, servicesAfter.get(serviceKey));
            if (!old.equals(now)) {
                keys.add(ConfigKey.of(Kind.ENDPOINTS, serviceKey.namespace(), serviceKey.name()));
            }
        }
        return new ChangeSet(before.version(), after.version(), keys);
    }

    private static Map<String, List<ServiceEndpoint>> endpoints(MeshSnapshot snapshot, List<MeshService> services) {
        Map<String, List<ServiceEndpoint>> out = new HashMap<>();
        if (services == null) {
            return out;
        }
        for (MeshService service : services) {
            for (ServicePort port : service.ports()) {
                List<ServiceEndpoint> eps = snapshot.endpointsOf(service, port);
                if (!eps.isEmpty()) {
                    out.put(service.registry() + "|" + service.name() + "|" + port.port(), eps);
                }
            }
        }
        return out;
    }

    private static Map<ConfigKey, List<MeshService>> byKey(List<MeshService> services) {
        Map<ConfigKey, List<MeshService>> out = new LinkedHashMap<>();
        for (MeshService s : services) {
            out.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    private static <T> void changedKeys(Map<ConfigKey, T> before, Map<ConfigKey, T> after, Set<ConfigKey> out) {
        for (Map.Entry<ConfigKey, T> e : before.entrySet()) {
            if (!Objects.equals(e.getValue(), after.get(e.getKey()))) {
                out.add(e.getKey());
            }
        }
        for (ConfigKey k : after.keySet()) {
            if (!before.containsKey(k)) {
                out.add(k);
            }
        }
    }

    private static <T> void diff(List<T> before, List<T> after, Function<T, ConfigKey> key, Set<ConfigKey> out) {
        Map<ConfigKey, T> b = new HashMap<>();
        before.forEach(t -> b.putIfAbsent(key.apply(t), t));
        Map<ConfigKey, T> a = new HashMap<>();
        after.forEach(t -> a.putIfAbsent(key.apply(t), t));
        changedKeys(b, a, out);
    }
}
