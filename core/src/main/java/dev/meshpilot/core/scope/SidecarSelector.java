package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.scope.SidecarSelection.Candidate;
import dev.meshpilot.core.scope.SidecarSelection.Level;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the Sidecar that applies to a sidecar proxy (R13–R15): Sidecars sorted by creation time, name and namespace,
 * those with a {@code workloadSelector} field first; in the proxy namespace the first whose selector labels are a
 * subset of the workload labels or that has no selector; else the root namespace's oldest selector-less Sidecar
 * (evaluated as if it lived in the proxy namespace); else the synthesized {@code default-sidecar}. Immutable.
 */
public final class SidecarSelector {

    /** R13: creation time, then name, then namespace. */
    public static final Comparator<SidecarResource> CREATION_ORDER = Comparator
            .comparing((SidecarResource s) -> s.meta().creationTimestamp())
            .thenComparing(s -> s.meta().name())
            .thenComparing(s -> s.meta().namespace());

    private final String rootNamespace;
    private final Map<String, List<SidecarResource>> byNamespace = new HashMap<>();
    private final Optional<SidecarResource> rootDefault;
    private final List<SidecarResource> rootOthers = new ArrayList<>();

    public SidecarSelector(List<SidecarResource> sidecars, MeshConfig mesh) {
        this.rootNamespace = mesh.rootNamespace();
        List<SidecarResource> sorted = new ArrayList<>(sidecars);
        sorted.sort(CREATION_ORDER);
        List<SidecarResource> ordered = new ArrayList<>(sorted.size());
        sorted.stream().filter(SidecarResource::hasWorkloadSelector).forEach(ordered::add);
        sorted.stream().filter(s -> !s.hasWorkloadSelector()).forEach(ordered::add);
        SidecarResource root = null;
        for (SidecarResource s : ordered) {
            byNamespace.computeIfAbsent(s.meta().namespace(), n -> new ArrayList<>()).add(s);
            if (s.meta().namespace().equals(rootNamespace)) {
                if (root == null && !s.hasWorkloadSelector()) {
                    root = s;
                } else {
                    rootOthers.add(s);
                }
            }
        }
        this.rootDefault = Optional.ofNullable(root);
    }

    /** The Sidecar for a sidecar proxy in {@code namespace} with these workload labels. */
    public SidecarSelection select(String namespace, Map<String, String> labels) {
        List<Candidate> considered = new ArrayList<>();
        SidecarResource chosen = null;
        for (SidecarResource s : byNamespace.getOrDefault(namespace, List.of())) {
            if (chosen != null) {
                considered.add(new Candidate(s.key(), false, "R13",
                        "ranked after " + display(chosen) + " (selector Sidecars first, then creation time, name)"));
                continue;
            }
            if (s.workloadSelector().isPresent() && !labelsSubset(s.workloadSelector().get(), labels)) {
                considered.add(new Candidate(s.key(), false, "R14",
                        "workloadSelector " + sorted(s.workloadSelector().get()) + " does not match workload labels "
                                + sorted(labels)));
                continue;
            }
            chosen = s;
            considered.add(new Candidate(s.key(), true, "R14", s.hasWorkloadSelector()
                    ? "workloadSelector " + sorted(s.workloadSelector().get()) + " matches workload labels"
                    : "namespace-wide Sidecar (no workloadSelector)"));
        }
        if (chosen != null) {
            Level level = chosen.hasWorkloadSelector() ? Level.WORKLOAD_SELECTOR : Level.NAMESPACE_DEFAULT;
            String reason = chosen.hasWorkloadSelector()
                    ? "Sidecar " + display(chosen) + " selects this workload; it outranks any namespace-wide Sidecar"
                    : "Sidecar " + display(chosen) + " is the namespace's oldest Sidecar without workloadSelector"
                      + " and no selecting Sidecar matched";
            if (!namespace.equals(rootNamespace) && rootDefault.isPresent()) {
                considered.add(new Candidate(rootDefault.get().key(), false, "R15",
                        "root-namespace default is ignored when the proxy namespace has a matching Sidecar (no merging)"));
            }
            return new SidecarSelection(Optional.of(chosen), chosen.meta().name(), level, "R14", reason, considered);
        }
        if (rootDefault.isPresent()) {
            SidecarResource root = rootDefault.get();
            considered.add(new Candidate(root.key(), true, "R15",
                    "oldest selector-less Sidecar of root namespace " + rootNamespace + ", evaluated for " + namespace));
            for (SidecarResource other : rootOthers) {
                considered.add(new Candidate(other.key(), false, "R15", other.hasWorkloadSelector()
                        ? "root-namespace Sidecars with a workloadSelector are not mesh-wide"
                        : "ranked after " + display(root) + " (creation time, then name)"));
            }
            return new SidecarSelection(Optional.of(root), root.meta().name(), Level.ROOT_DEFAULT, "R15",
                    "no Sidecar of namespace " + namespace + " applies; the root namespace default " + display(root)
                            + " is evaluated as if it lived in " + namespace, considered);
        }
        return new SidecarSelection(Optional.empty(), ProxyScope.DEFAULT_SIDECAR_NAME, Level.SYNTHESIZED_DEFAULT,
                "R15", "no Sidecar applies in " + namespace + " and the root namespace " + rootNamespace
                + " has no selector-less Sidecar: synthesized default-sidecar importing */* (R18)", considered);
    }

    static boolean labelsSubset(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static String display(SidecarResource s) {
        return s.meta().namespace() + "/" + s.meta().name();
    }

    private static String sorted(Map<String, String> labels) {
        return new java.util.TreeMap<>(labels).toString();
    }
}
