package dev.meshpilot.xds.golden;

import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.kube.directory.LoadedMesh;
import dev.meshpilot.kube.directory.MeshLoader;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.resource.ProxyResources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The checked-in examples, loaded once per test JVM through the real loader and real scoping. */
public final class ExampleMeshes {

    public static final List<String> ALL = List.of("bookinfo", "online-boutique", "shared-cluster",
            "shared-cluster-root-default");

    private static final Map<String, MeshSnapshot> LOADED = new ConcurrentHashMap<>();
    private static final Map<String, SidecarScopes> SCOPES = new ConcurrentHashMap<>();

    private ExampleMeshes() {
    }

    public static Path repoRoot() {
        String root = System.getProperty("meshpilot.repo.root");
        Path path = root == null || root.isBlank() ? Path.of("..").toAbsolutePath().normalize() : Path.of(root);
        if (!Files.isDirectory(path.resolve("examples"))) {
            path = Path.of("..").toAbsolutePath().normalize();
        }
        return path;
    }

    public static MeshSnapshot snapshot(String example) {
        return LOADED.computeIfAbsent(example, e -> {
            LoadedMesh mesh = MeshLoader.load(repoRoot().resolve("examples").resolve(e));
            if (!mesh.errors().isEmpty()) {
                throw new IllegalStateException("example " + e + " does not load cleanly: " + mesh.errors());
            }
            return mesh.snapshot();
        });
    }

    public static SidecarScopes scopes(String example) {
        return SCOPES.computeIfAbsent(example, e -> new SidecarScopes(snapshot(e)));
    }

    public static ProxyIdentity proxy(String example, String podName, String namespace, ProxyIdentity.ProxyKind kind) {
        WorkloadInstance pod = snapshot(example).findWorkload(podName, namespace)
                .orElseThrow(() -> new IllegalArgumentException("no pod " + podName + "." + namespace + " in " + example));
        ProxyIdentity sidecar = ProxyIdentities.fromWorkload(pod);
        return new ProxyIdentity(sidecar.podName(), sidecar.namespace(), sidecar.labels(), sidecar.ip(), kind);
    }

    public static ProxyResources generate(String example, ProxyIdentity proxy) {
        MeshSnapshot snapshot = snapshot(example);
        return new ProxyConfigGenerator().generate(snapshot, proxy, scopes(example).scopeFor(proxy));
    }
}
