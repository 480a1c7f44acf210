package dev.meshpilot.kube.apiserver;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.ConverterOptions;
import dev.meshpilot.kube.convert.KubeObjectConverter;
import dev.meshpilot.kube.convert.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the mesh from the API server once (one list per kind) and builds the snapshot the
 * {@link KubernetesSource} would hold after syncing: same kinds, same version discovery, same converters, same
 * discovery-selector handling. For {@code proxy-config … --kube}.
 */
public final class KubernetesSnapshotLoader {

    private KubernetesSnapshotLoader() {
    }

    /**
     * The mesh as the API server holds it now.
     *
     * @throws KubernetesAccessException when the configuration is missing or the API server cannot be read
     */
    public static KubernetesLoad load(KubernetesSettings settings) {
        try (KubernetesClient client = KubernetesClients.connect(settings)) {
            return load(client, settings.converterOptions());
        }
    }

    /** The mesh as the API server behind {@code client} holds it now (the client stays open). */
    public static KubernetesLoad load(KubernetesClient client, ConverterOptions options) {
        Map<WatchedKind, List<GenericKubernetesResource>> listed = new LinkedHashMap<>();
        Map<String, String> kinds = new LinkedHashMap<>();
        try {
            for (WatchedKind kind : WatchedKind.coreKinds(options.systemNamespace())) {
                listed.put(kind, kind.list(client));
                kinds.put(kind.kind(), kind.apiVersion());
            }
            for (IstioApiDiscovery.Served served : IstioApiDiscovery.discover(client)) {
                if (served.watched().isPresent()) {
                    listed.put(served.watched().get(), served.watched().get().list(client));
                }
                kinds.put(served.kind(), served.watched().map(WatchedKind::apiVersion).orElse("not served"));
            }
        } catch (KubernetesClientException e) {
            throw new KubernetesAccessException("cannot read the mesh from the Kubernetes API server at "
                    + client.getMasterUrl() + ": " + e.getMessage(), e);
        }
        MeshAssembler assembler = new MeshAssembler(new KubeObjectConverter(options));
        MeshAssembler.Step step = assembler.reconcile(new Listed(listed), listed.keySet(), Set.copyOf(listed.keySet()),
                Map.of());
        RegistryStore store = new RegistryStore(options.defaultMeshConfig());
        store.apply(step.changes());
        return new KubernetesLoad(store.current(), assembler.problems(), kinds);
    }

    /**
     * The mesh read once.
     *
     * @param snapshot the mesh (version 1, or 0 when the cluster holds nothing)
     * @param problems objects skipped because they do not convert, one message each
     * @param kinds    per kind, the apiVersion read ({@code not served} for Istio kinds without CRDs)
     */
    public record KubernetesLoad(MeshSnapshot snapshot, List<ConversionProblem> problems, Map<String, String> kinds) {
        public KubernetesLoad {
            problems = List.copyOf(problems);
            kinds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kinds));
        }
    }

    private record Listed(Map<WatchedKind, List<GenericKubernetesResource>> byKind)
            implements MeshAssembler.ObjectSource {
        @Override
        public Collection<GenericKubernetesResource> list(WatchedKind kind) {
            return byKind.getOrDefault(kind, List.of());
        }

        @Override
        public Optional<GenericKubernetesResource> get(WatchedKind kind, ObjectRef ref) {
            List<GenericKubernetesResource> found = new ArrayList<>();
            for (GenericKubernetesResource r : list(kind)) {
                if (MeshAssembler.refOf(kind, r).equals(ref)) {
                    found.add(r);
                }
            }
            return found.stream().findFirst();
        }
    }
}
