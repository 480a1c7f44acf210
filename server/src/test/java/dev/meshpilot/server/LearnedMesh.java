package dev.meshpilot.server;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.server.learn.LearningOptions;
import dev.meshpilot.server.learn.ScopingMode;
import dev.meshpilot.server.learn.ScopingOptions;
import dev.meshpilot.server.push.PushSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static dev.meshpilot.server.ScopedPushTest.deployment;
import static dev.meshpilot.server.ScopedPushTest.service;

/**
 * A small mesh for the learned-scope tests, as manifest files: namespace {@code a} with {@code web}, {@code web2}
 * and {@code hand} (which a hand-written Sidecar selects), namespace {@code b} with {@code api}, {@code db} and
 * {@code secret} (exported to {@code b} only); no root Sidecar, so a proxy's upper bound is every service exported
 * to its namespace.
 */
public final class LearnedMesh {
    public static final String API = "api.b.svc.cluster.local";
    public static final String DB = "db.b.svc.cluster.local";
    public static final String DB_VIP = "10.96.0.54";
    public static final String SECRET = "secret.b.svc.cluster.local";

    private LearnedMesh() {
    }

    public static void write(Path dir, String namespaceBLabel) throws IOException {
        Files.writeString(dir.resolve("namespaces.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: a
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: b
                %s---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: istio-system
                """.formatted(namespaceBLabel == null ? ""
                : "  labels:\n    " + ScopingMode.NAMESPACE_LABEL + ": " + namespaceBLabel + "\n"));
        Files.writeString(dir.resolve("a.yaml"), String.join("---\n",
                service("web", "a", 80), deployment("web", "a", 2),
                service("web2", "a", 80), deployment("web2", "a", 1),
                service("hand", "a", 80), deployment("hand", "a", 1), """
                        apiVersion: networking.istio.io/v1
                        kind: Sidecar
                        metadata:
                          name: hand
                          namespace: a
                        spec:
                          workloadSelector:
                            labels:
                              app: hand
                          egress:
                          - hosts: ["*/*"]
                        """));
        Files.writeString(dir.resolve("b.yaml"), String.join("---\n",
                service("api", "b", 8080), deployment("api", "b", 1),
                """
                        apiVersion: v1
                        kind: Service
                        metadata:
                          name: db
                          namespace: b
                        spec:
                          clusterIP: %s
                          selector:
                            app: db
                          ports:
                          - name: tcp
                            port: 5432
                        """.formatted(DB_VIP), deployment("db", "b", 1), """
                        apiVersion: v1
                        kind: Service
                        metadata:
                          name: secret
                          namespace: b
                          annotations:
                            networking.istio.io/exportTo: "."
                        spec:
                          selector:
                            app: secret
                          ports:
                          - name: grpc
                            port: 9000
                        """));
    }

    /** Server options for the mesh in {@code dir}: a long debounce, so a push that waited for it would not come. */
    public static ServerOptions options(Path dir, ScopingMode mode, LearningOptions learning) {
        return new ServerOptions(dir, "127.0.0.1", 0, "127.0.0.1", 0, "istio-system",
                new PushSettings(Duration.ofMillis(50), Duration.ofSeconds(2)), 4)
                .withLearning(learning)
                .withScoping(ScopingOptions.defaults().withMode(mode));
    }

    public static Observation call(String caller, String host, int port) {
        return Observation.at(new WorkloadKey("a", caller), new Destination(host, port), CallProtocol.HTTP,
                EvidenceSource.ACCESS_LOG, "access-log test", Instant.now(), 1);
    }
}
