package dev.meshpilot.kube.apiserver;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.NamespaceInfo;
import dev.meshpilot.core.registry.MeshObjects;
import dev.meshpilot.core.registry.SourceChange;
import dev.meshpilot.kube.convert.Conversion;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.KubeObjectConverter;
import dev.meshpilot.kube.convert.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps what the API server holds, as model objects per Kubernetes object, and works out the registry changes
 * when objects change. Level-triggered: it is told which objects (or whole kinds) to look at again and reads their
 * current state from an {@link ObjectSource}, so missed or reordered events cannot leave stale state behind.
 *
 * <p>Every object goes through the same {@link KubeObjectConverter} as manifest files. An object that fails to
 * convert is reported and skipped; if an earlier version converted, that last good version stays. Discovery
 * selectors (R12) are applied here: namespaced mesh objects of unselected namespaces are not converted, and a
 * change of namespace labels or MeshConfig that changes the selection re-reads every selected kind.
 *
 * <p>Not thread-safe: one thread owns an instance (the source's worker, or the one-shot loader).
 */
final class MeshAssembler {

    /** Where the current objects are read from: the informers' caches, or one listing. */
    interface ObjectSource {
        Collection<GenericKubernetesResource> list(WatchedKind kind);

        Optional<GenericKubernetesResource> get(WatchedKind kind, ObjectRef ref);
    }

    /** The changes for the registry store and the problems not reported before. */
    record Step(List<SourceChange> changes, List<ConversionProblem> newProblems) {
        boolean isEmpty() {
            return changes.isEmpty() && newProblems.isEmpty();
        }
    }

    private record Held(String resourceVersion, MeshObjects objects) {
    }

    private record Failure(String resourceVersion, ConversionProblem problem) {
    }

    /** Which namespaces discovery selectors admit: all of them, or the named ones. */
    record NamespaceGate(boolean everyNamespace, Set<String> selected) {
        NamespaceGate {
            selected = Set.copyOf(selected);
        }

        boolean admits(String namespace) {
            return everyNamespace || selected.contains(namespace);
        }
    }

    private final KubeObjectConverter converter;
    private final WatchedKind meshConfigKind;
    private final Map<ObjectRef, Held> held = new HashMap<>();
    private final Map<ObjectRef, Failure> failures = new HashMap<>();
    private NamespaceGate gate;

    MeshAssembler(KubeObjectConverter converter) {
        this.converter = Objects.requireNonNull(converter, "converter");
        this.meshConfigKind = WatchedKind.meshConfigMap(converter.options().systemNamespace());
        this.gate = computeGate();
    }

    /** The registry source key of one Kubernetes object. */
    static String sourceKey(ObjectRef ref) {
        return "k8s/" + ref.kind() + "/" + (ref.namespace().isEmpty() ? ref.name() : ref.namespace() + "/" + ref.name());
    }

    /**
     * Looks again at whole kinds and at single objects, gate inputs (Namespaces, the istio ConfigMap) first. When
     * the namespace selection changes, every selected kind in {@code readable} is looked at again in full.
     *
     * @param readable the kinds the source can read now (others keep their last state)
     * @param full     kinds to re-read entirely (after a list: initial sync, relist after an outage)
     * @param dirty    single objects that changed, per kind
     */
    Step reconcile(ObjectSource source, Collection<WatchedKind> readable, Set<WatchedKind> full,
                   Map<WatchedKind, Set<ObjectRef>> dirty) {
        Map<String, SourceChange> changes = new LinkedHashMap<>();
        List<ConversionProblem> newProblems = new ArrayList<>();
        List<WatchedKind> ordered = readable.stream()
                .sorted(Comparator.comparing(WatchedKind::isGateInput).reversed()).toList();
        boolean gateChecked = false;
        boolean allAgain = false;
        for (WatchedKind kind : ordered) {
            if (!kind.isGateInput() && !gateChecked) {
                gateChecked = true;
                NamespaceGate now = computeGate();
                allAgain = !now.equals(gate);
                gate = now;
            }
            if (allAgain && !kind.isGateInput() || full.contains(kind)) {
                reread(source, kind, changes, newProblems);
            } else {
                for (ObjectRef ref : dirty.getOrDefault(kind, Set.of())) {
                    look(kind, ref, source.get(kind, ref), changes, newProblems);
                }
            }
        }
        if (!gateChecked) {
            gate = computeGate();
        }
        return new Step(List.copyOf(changes.values()), newProblems);
    }

    /** The current problems, one per object, sorted by object. */
    List<ConversionProblem> problems() {
        return failures.values().stream().map(Failure::problem)
                .sorted(Comparator.comparing(ConversionProblem::kind).thenComparing(ConversionProblem::objectName))
                .toList();
    }

    /** Number of Kubernetes objects currently held as model objects. */
    int objectCount() {
        return held.size();
    }

    NamespaceGate gate() {
        return gate;
    }

    private void reread(ObjectSource source, WatchedKind kind, Map<String, SourceChange> changes,
                        List<ConversionProblem> newProblems) {
        Set<ObjectRef> present = new HashSet<>();
        for (GenericKubernetesResource resource : source.list(kind)) {
            ObjectRef ref = refOf(kind, resource);
            present.add(ref);
            look(kind, ref, Optional.of(resource), changes, newProblems);
        }
        Set<ObjectRef> gone = new TreeSet<>(Comparator.comparing(MeshAssembler::sourceKey));
        for (ObjectRef ref : held.keySet()) {
            if (ref.kind().equals(kind.kind()) && !present.contains(ref)) {
                gone.add(ref);
            }
        }
        failures.keySet().removeIf(ref -> ref.kind().equals(kind.kind()) && !present.contains(ref));
        for (ObjectRef ref : gone) {
            look(kind, ref, Optional.empty(), changes, newProblems);
        }
    }

    private void look(WatchedKind kind, ObjectRef ref, Optional<GenericKubernetesResource> current,
                      Map<String, SourceChange> changes, List<ConversionProblem> newProblems) {
        String key = sourceKey(ref);
        boolean admitted = current.isPresent() && (!kind.discoverySelected() || gate.admits(ref.namespace()));
        if (!admitted) {
            failures.remove(ref);
            if (held.remove(ref) != null) {
                changes.put(key, SourceChange.delete(key));
            }
            return;
        }
        String version = Optional.ofNullable(current.get().getMetadata()).map(ObjectMeta::getResourceVersion)
                .orElse("");
        Held before = held.get(ref);
        Failure failedBefore = failures.get(ref);
        if (!version.isEmpty() && (before != null && failedBefore == null && before.resourceVersion().equals(version)
                || failedBefore != null && failedBefore.resourceVersion().equals(version))) {
            return; // this version was handled already
        }
        Conversion conversion = converter.convert(ResourceJson.toTree(current.get(), kind));
        if (conversion instanceof Conversion.Failed failed) {
            failures.put(ref, new Failure(version, failed.problem()));
            newProblems.add(failed.problem());
            return; // the last good version, if any, stays
        }
        failures.remove(ref);
        MeshObjects objects = MeshObjects.EMPTY;
        if (conversion instanceof Conversion.Converted converted) {
            objects = converted.objects();
        } else if (conversion instanceof Conversion.Skipped skipped && skipped.warning().isPresent()) {
            failures.put(ref, new Failure(version, skipped.warning().get()));
            newProblems.add(skipped.warning().get());
        }
        held.put(ref, new Held(version, objects));
        if (before == null || !before.objects().equals(objects)) {
            changes.put(key, SourceChange.replace(key, objects));
        }
    }

    /** The reference of an object of this kind (the kind as watched, the namespace only for namespaced kinds). */
    static ObjectRef refOf(WatchedKind kind, GenericKubernetesResource resource) {
        ObjectMeta meta = resource.getMetadata();
        String namespace = kind.namespaced() && meta.getNamespace() != null ? meta.getNamespace() : "";
        return new ObjectRef(kind.kind(), namespace, meta.getName() == null ? "" : meta.getName());
    }

    private NamespaceGate computeGate() {
        MeshConfig meshConfig = held.entrySet().stream()
                .filter(e -> e.getKey().kind().equals(meshConfigKind.kind()))
                .flatMap(e -> e.getValue().objects().meshConfigs().stream())
                .findFirst().orElse(converter.options().defaultMeshConfig());
        if (meshConfig.discoverySelectors().isEmpty()) {
            return new NamespaceGate(true, Set.of());
        }
        Set<String> selected = new HashSet<>();
        for (Map.Entry<ObjectRef, Held> e : held.entrySet()) {
            if (!e.getKey().kind().equals(WatchedKind.NAMESPACE.kind())) {
                continue;
            }
            for (NamespaceInfo ns : e.getValue().objects().namespaces()) {
                if (meshConfig.selectsNamespace(ns.labels())) {
                    selected.add(ns.name());
                }
            }
        }
        return new NamespaceGate(false, selected);
    }
}
