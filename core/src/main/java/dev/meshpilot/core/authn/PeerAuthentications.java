package dev.meshpilot.core.authn;

import dev.meshpilot.core.model.PeerAuthenticationResource;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The PeerAuthentications of one snapshot, resolved as istiod resolves them ({@code authentication.go} and
 * {@code policy_applier.go}): in every scope (mesh = root namespace without selector, namespace without selector,
 * workload with selector) the oldest policy wins (creation time, then name, then namespace); {@code UNSET} inherits
 * from the enclosing scope; a root-namespace policy with a selector applies to nothing. Immutable.
 */
public final class PeerAuthentications {

    private static final Comparator<PeerAuthenticationResource> OLDEST_FIRST = Comparator
            .comparing((PeerAuthenticationResource p) -> p.meta().creationTimestamp())
            .thenComparing(p -> p.meta().name())
            .thenComparing(p -> p.meta().namespace());

    private final String rootNamespace;
    private final Optional<PeerAuthenticationResource> mesh;
    private final Map<String, PeerAuthenticationResource> namespaceWide;
    private final Map<String, List<PeerAuthenticationResource>> workloadLevel;
    private final MtlsMode globalMode;

    public PeerAuthentications(String rootNamespace, List<PeerAuthenticationResource> policies) {
        this.rootNamespace = Objects.requireNonNull(rootNamespace, "rootNamespace");
        List<PeerAuthenticationResource> ordered = policies.stream().sorted(OLDEST_FIRST).toList();
        Map<String, PeerAuthenticationResource> wide = new LinkedHashMap<>();
        Map<String, List<PeerAuthenticationResource>> selected = new HashMap<>();
        for (PeerAuthenticationResource p : ordered) {
            String ns = p.meta().namespace();
            if (p.namespaceWide()) {
                wide.putIfAbsent(ns, p); // the oldest one of the namespace wins, later ones are ignored
            } else if (!ns.equals(rootNamespace)) {
                selected.computeIfAbsent(ns, k -> new java.util.ArrayList<>()).add(p);
            }
        }
        this.mesh = Optional.ofNullable(wide.remove(rootNamespace));
        this.namespaceWide = Map.copyOf(wide);
        this.workloadLevel = Map.copyOf(selected);
        // Istio: an UNSET mesh policy counts as PERMISSIVE; no mesh policy at all leaves the mode unknown.
        this.globalMode = mesh.map(p -> p.mode() == PeerAuthenticationResource.Mode.UNSET ? MtlsMode.PERMISSIVE
                : MtlsMode.of(p.mode())).orElse(MtlsMode.UNKNOWN);
    }

    /** The policies of a snapshot, with its mesh config's root namespace. */
    public static PeerAuthentications of(MeshSnapshot snapshot) {
        return new PeerAuthentications(snapshot.meshConfig().rootNamespace(), snapshot.peerAuthentications());
    }

    public String rootNamespace() {
        return rootNamespace;
    }

    /**
     * Istio's {@code GetNamespaceMutualTLSMode}: the namespace policy's mode (UNSET inheriting the mesh's, or
     * PERMISSIVE), else the mesh policy's, else {@link MtlsMode#UNKNOWN}. Clients use it to guess a service's mode.
     */
    public MtlsMode namespaceMode(String namespace) {
        PeerAuthenticationResource ns = namespace.equals(rootNamespace) ? null : namespaceWide.get(namespace);
        if (ns == null) {
            return globalMode;
        }
        if (ns.mode() == PeerAuthenticationResource.Mode.UNSET) {
            return globalMode == MtlsMode.UNKNOWN ? MtlsMode.PERMISSIVE : globalMode;
        }
        return MtlsMode.of(ns.mode());
    }

    /** The policy a workload's sidecar enforces (Istio's {@code ComposePeerAuthentication}). */
    public EffectivePeerAuthentication forWorkload(WorkloadInstance workload) {
        return forWorkload(workload.namespace(), workload.labels());
    }

    /** As {@link #forWorkload(WorkloadInstance)}, for a workload known by namespace and labels only. */
    public EffectivePeerAuthentication forWorkload(String namespace, Map<String, String> labels) {
        MtlsMode mode = MtlsMode.PERMISSIVE;
        if (mesh.isPresent() && mesh.get().mode() != PeerAuthenticationResource.Mode.UNSET) {
            mode = MtlsMode.of(mesh.get().mode());
        }
        PeerAuthenticationResource ns = namespace.equals(rootNamespace) ? null : namespaceWide.get(namespace);
        if (ns != null && ns.mode() != PeerAuthenticationResource.Mode.UNSET) {
            mode = MtlsMode.of(ns.mode());
        }
        Optional<PeerAuthenticationResource> workload = selecting(namespace, labels);
        if (workload.isPresent() && workload.get().mode() != PeerAuthenticationResource.Mode.UNSET) {
            mode = MtlsMode.of(workload.get().mode());
        }
        Map<Integer, MtlsMode> perPort = new HashMap<>();
        if (workload.isPresent()) {
            for (Map.Entry<Integer, PeerAuthenticationResource.Mode> e : workload.get().portLevelMtls().entrySet()) {
                perPort.put(e.getKey(), e.getValue() == PeerAuthenticationResource.Mode.UNSET ? mode
                        : MtlsMode.of(e.getValue()));
            }
        }
        return new EffectivePeerAuthentication(mode, perPort);
    }

    /** The oldest workload-level policy of the namespace selecting these labels, if any. */
    public Optional<PeerAuthenticationResource> selecting(String namespace, Map<String, String> labels) {
        return workloadLevel.getOrDefault(namespace, List.of()).stream().filter(p -> p.selects(labels)).findFirst();
    }
}
