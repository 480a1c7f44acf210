package dev.meshpilot.insight.learn;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.kube.directory.LoadedMesh;
import dev.meshpilot.kube.directory.MeshLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A small mesh written as manifests and read through the real converters: namespace {@code shop} with services
 * cart, reviews and db, Deployments {@code frontend} ({@code app=frontend}), {@code frontend-canary}
 * ({@code app=frontend, track=canary}, so frontend's selector matches its pods too) and {@code worker}.
 */
final class ShopMesh {

    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    static final String CART = "cart.shop.svc.cluster.local";
    static final String REVIEWS = "reviews.shop.svc.cluster.local";
    static final String DB = "db.shop.svc.cluster.local";

    private final StringBuilder extra = new StringBuilder();
    private final List<Observation> observations = new ArrayList<>();

    static ShopMesh shop() {
        return new ShopMesh();
    }

    ShopMesh with(String manifest) {
        extra.append("---\n").append(manifest);
        return this;
    }

    ShopMesh calls(String workload, String host, int port) {
        observations.add(Observation.at(new WorkloadKey("shop", workload), new Destination(host, port),
                CallProtocol.HTTP, EvidenceSource.ACCESS_LOG, "meshpilot-0", NOW.minusSeconds(3600), 1_234));
        return this;
    }

    DependencyLedger ledger() {
        return DependencyLedger.ofObservations(observations);
    }

    MeshSnapshot snapshot(Path dir) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: istio-system}
                """);
        for (String svc : List.of("cart", "reviews", "db")) {
            yaml.append("---\napiVersion: v1\nkind: Service\nmetadata: {name: ").append(svc)
                    .append(", namespace: shop}\nspec:\n  selector: {app: ").append(svc)
                    .append("}\n  ports: [{name: http, port: 80}]\n");
        }
        deployment(yaml, "frontend", "{app: frontend}");
        deployment(yaml, "frontend-canary", "{app: frontend, track: canary}");
        deployment(yaml, "worker", "{app: worker}");
        yaml.append(extra);
        try {
            Path file = dir.resolve("mesh.yaml");
            Files.writeString(file, yaml);
            LoadedMesh mesh = MeshLoader.load(file);
            if (!mesh.errors().isEmpty()) {
                throw new AssertionError("test mesh has errors: " + mesh.errors());
            }
            return mesh.snapshot();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deployment(StringBuilder yaml, String name, String labels) {
        yaml.append("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ").append(name)
                .append(", namespace: shop}\nspec:\n  replicas: 1\n  selector: {matchLabels: ").append(labels)
                .append("}\n  template:\n    metadata: {labels: ").append(labels)
                .append("}\n    spec: {containers: [{name: c, image: x}]}\n");
    }
}
