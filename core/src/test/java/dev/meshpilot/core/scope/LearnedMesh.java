package dev.meshpilot.core.scope;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.NamespaceInfo;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.model.WorkloadGroup;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only mesh for learned scopes: namespaces {@code shop}, {@code other} and the root {@code istio-system},
 * a Deployment {@code shop/frontend} (label {@code app=frontend}) and a few services; an injected "now".
 */
final class LearnedMesh {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final WorkloadKey FRONTEND = new WorkloadKey("shop", "frontend");
    static final String CART = "cart.shop.svc.cluster.local";
    static final String REVIEWS = "reviews.shop.svc.cluster.local";
    static final String RATINGS = "ratings.shop.svc.cluster.local";
    static final String DB = "db.other.svc.cluster.local";
    static final String PRIVATE = "private.other.svc.cluster.local";
    static final String ISTIOD = "istiod.istio-system.svc.cluster.local";

    private final Map<String, Map<String, String>> namespaceAnnotations = new HashMap<>();
    private final Map<String, String> workloadAnnotations = new HashMap<>();
    private final List<SidecarResource> sidecars = new ArrayList<>();
    private final List<VirtualServiceResource> virtualServices = new ArrayList<>();
    private final List<WorkloadInstance> pods = new ArrayList<>();

    static LearnedMesh mesh() {
        return new LearnedMesh();
    }

    static Instant daysAgo(long days) {
        return NOW.minus(Duration.ofDays(days));
    }

    LearnedMesh namespacePins(String namespace, String pins) {
        namespaceAnnotations.put(namespace, Map.of(HostPins.ANNOTATION, pins));
        return this;
    }

    LearnedMesh workloadPins(String pins) {
        workloadAnnotations.put(HostPins.ANNOTATION, pins);
        return this;
    }

    LearnedMesh add(SidecarResource sidecar) {
        sidecars.add(sidecar);
        return this;
    }

    LearnedMesh add(VirtualServiceResource vs) {
        virtualServices.add(vs);
        return this;
    }

    LearnedMesh add(WorkloadInstance pod) {
        pods.add(pod);
        return this;
    }

    /** A pod of {@code shop} with labels {@code app=NAME}, owned by {@code owner} (empty: a bare pod). */
    static WorkloadInstance pod(String name, String owner, Map<String, String> annotations) {
        return new WorkloadInstance(new ObjectMeta("shop", name, Instant.EPOCH, Map.of("app", name), annotations),
                "10.1.0.1", "default", owner.isEmpty() ? "" : "Deployment", owner, null, false);
    }

    WorkloadGroup frontend() {
        return new WorkloadGroup("Deployment", new ObjectMeta("shop", "frontend", Instant.EPOCH, Map.of(),
                workloadAnnotations), 2, Map.of("app", "frontend"), "frontend");
    }

    MeshSnapshot snapshot() {
        List<MeshService> services = List.of(TestMesh.k8s("cart", "shop", 80), TestMesh.k8s("reviews", "shop", 9080),
                TestMesh.k8s("ratings", "shop", 9080), TestMesh.k8s("db", "other", 5432),
                TestMesh.exported(TestMesh.k8s("private", "other", 80), "."),
                TestMesh.k8s("istiod", "istio-system", 15012));
        List<NamespaceInfo> namespaces = List.of("shop", "other", "istio-system").stream()
                .map(n -> new NamespaceInfo(n, Map.of(), namespaceAnnotations.getOrDefault(n, Map.of()))).toList();
        return new MeshSnapshot(1, MeshConfig.DEFAULT, namespaces, services, List.of(), pods,
                List.of(frontend()), sidecars, virtualServices, List.of());
    }

    LearnedScope learn(DependencyLedger ledger) {
        return learn(ledger, LearningSettings.defaults());
    }

    LearnedScope learn(DependencyLedger ledger, LearningSettings settings) {
        return new LearnedScopes(snapshot(), settings).forWorkload(frontend(), ledger, NOW);
    }

    /** The frontend seen calling {@code host:port} at each given instant (one call each). */
    static List<Observation> calls(String host, int port, Instant... at) {
        List<Observation> out = new ArrayList<>();
        for (Instant i : at) {
            out.add(Observation.at(FRONTEND, new Destination(host, port), CallProtocol.HTTP, EvidenceSource.PROMETHEUS,
                    "prometheus http://prom:9090", i, 1));
        }
        return out;
    }

    static DependencyLedger ledger(List<Observation> observations, Instant reportedUntil) {
        return DependencyLedger.ofObservations(observations)
                .reportedBy(List.of(FRONTEND), EvidenceSource.PROMETHEUS, reportedUntil);
    }
}
