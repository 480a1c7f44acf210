package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.registry.MeshSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The services of one snapshot indexed the way Istio's push context indexes them: the global order (R3), each
 * service's effective exportTo (R6), the per-namespace visibility buckets and public list (R8), and the
 * one-service-per-(hostname, namespace) index used by exact-host lookups and VirtualService destinations. Immutable.
 */
public final class ServiceIndex {

    /** Istio's global service order (R3); defined once, by the registry snapshot. */
    public static final Comparator<MeshService> ISTIO_ORDER = MeshSnapshot.GLOBAL_SERVICE_ORDER;

    private final MeshConfig mesh;
    private final List<MeshService> ordered;
    private final Map<MeshService, ExportTo> exportTo = new IdentityHashMap<>();
    private final List<MeshService> publicServices = new ArrayList<>();
    private final Map<String, List<MeshService>> exportedToNamespace = new HashMap<>();
    private final Map<String, Map<String, MeshService>> byHostAndNamespace = new HashMap<>();

    public ServiceIndex(List<MeshService> services, MeshConfig mesh) {
        this.mesh = mesh;
        List<MeshService> sorted = new ArrayList<>(services);
        sorted.sort(ISTIO_ORDER);
        this.ordered = List.copyOf(sorted);
        for (MeshService s : ordered) {
            ExportTo effective = ExportTo.effective(s.declaredExportTo(), mesh.defaultServiceExportTo());
            exportTo.put(s, effective);
            indexHost(s);
            indexVisibility(s, effective);
        }
    }

    private void indexHost(MeshService s) {
        Map<String, MeshService> byNs = byHostAndNamespace.computeIfAbsent(s.hostname(), h -> new TreeMap<>());
        MeshService existing = byNs.get(s.namespace());
        // the oldest wins, except that a Kubernetes service displaces a ServiceEntry (no "domain squatting")
        if (existing == null || (!existing.isKubernetes() && s.isKubernetes())) {
            byNs.put(s.namespace(), s);
        }
    }

    private void indexVisibility(MeshService s, ExportTo effective) {
        if (effective.isPublic()) {
            publicServices.add(s);
            return;
        }
        if (effective.containsNone()) {
            return;
        }
        boolean ownAdded = false;
        for (String value : effective.values().stream().sorted().toList()) {
            String target = value;
            if (value.equals(ExportTo.PRIVATE) || value.equals(s.namespace())) {
                if (ownAdded) {
                    continue;
                }
                ownAdded = true;
                target = s.namespace();
            }
            exportedToNamespace.computeIfAbsent(target, n -> new ArrayList<>()).add(s);
        }
    }

    public MeshConfig meshConfig() {
        return mesh;
    }

    /** Every service, in global order (R3). */
    public List<MeshService> all() {
        return ordered;
    }

    /** The effective exportTo of a service of this index (R6). */
    public ExportTo exportTo(MeshService service) {
        ExportTo e = exportTo.get(service);
        return e != null ? e : ExportTo.effective(service.declaredExportTo(), mesh.defaultServiceExportTo());
    }

    /** The R7 predicate (Istio's {@code IsServiceVisible}). */
    public boolean isVisible(MeshService service, String namespace) {
        return exportTo(service).admits(service.namespace(), namespace);
    }

    /** Whether the R8 index lists the service for this namespace (differs from R7 only for mixed {@code ~} sets). */
    public boolean isCandidate(MeshService service, String namespace) {
        ExportTo e = exportTo(service);
        if (e.isPublic()) {
            return true;
        }
        if (e.containsNone()) {
            return false;
        }
        return e.admits(service.namespace(), namespace);
    }

    /**
     * The services visible to a namespace in R8 order: those exported to it by name (or privately, for its own
     * services), in global order, followed by the public ones, in global order.
     */
    public List<MeshService> candidatesFor(String namespace) {
        List<MeshService> bucket = exportedToNamespace.getOrDefault(namespace, List.of());
        List<MeshService> out = new ArrayList<>(bucket.size() + publicServices.size());
        out.addAll(bucket);
        out.addAll(publicServices);
        return out;
    }

    /** The one service registered for this (hostname, namespace): the oldest, a Kubernetes one preferred. */
    public Optional<MeshService> byHostAndNamespace(String hostname, String namespace) {
        return Optional.ofNullable(byHostAndNamespace.getOrDefault(hostname, Map.of()).get(namespace));
    }

    /** Namespace to service for one hostname, namespaces in alphabetical order. */
    public Map<String, MeshService> namespacesForHost(String hostname) {
        return new LinkedHashMap<>(byHostAndNamespace.getOrDefault(hostname, Map.of()));
    }

    /** Why a service is not visible to a namespace: the rule and a sentence. */
    public record Invisibility(String rule, String detail) {
    }

    /** Why a service is not visible to a namespace; empty when it is a candidate there (R8). */
    public Optional<Invisibility> invisibilityReason(MeshService service, String namespace) {
        if (isCandidate(service, namespace)) {
            return Optional.empty();
        }
        ExportTo e = exportTo(service);
        if (e.containsNone()) {
            return Optional.of(new Invisibility("R8", "exportTo " + e.describe()
                    + " contains '~' (without '*'): visible to no namespace"));
        }
        if (service.namespace().equals(namespace)) {
            return Optional.of(new Invisibility("R7", "exportTo " + e.describe() + " names neither '.' nor '"
                    + namespace + "': hidden from its own namespace"));
        }
        return Optional.of(new Invisibility("R7", "not exported to namespace " + namespace
                + " (exportTo " + e.describe() + ")"));
    }
}
