package dev.meshpilot.insight.testing;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.insight.footprint.FootprintAnalyzer;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.footprint.FootprintStudy;
import dev.meshpilot.insight.footprint.ProxyFootprints;
import dev.meshpilot.insight.footprint.ReportSettings;
import dev.meshpilot.insight.footprint.WorkloadMeasurement;
import dev.meshpilot.insight.model.EnvoyMemoryModel.StatsProfile;
import dev.meshpilot.insight.whatif.Proposal;
import dev.meshpilot.insight.whatif.TrafficEdge;
import dev.meshpilot.insight.whatif.TrafficEdges;
import dev.meshpilot.kube.directory.LoadedMesh;
import dev.meshpilot.kube.directory.MeshLoader;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The repository's example meshes, loaded once per test JVM, and a default analyzer over them. */
public final class Examples {

    private static final Map<String, MeshSnapshot> LOADED = new ConcurrentHashMap<>();
    private static final Map<String, List<WorkloadMeasurement>> MEASURED = new ConcurrentHashMap<>();

    private Examples() {
    }

    public static Path repoRoot() {
        String configured = System.getProperty("meshpilot.repo.root");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        if (!Files.isDirectory(root.resolve("examples"))) {
            root = Path.of(".");
        }
        return root.toAbsolutePath().normalize();
    }

    public static Path dir(String name) {
        return repoRoot().resolve("examples").resolve(name);
    }

    /** The example's snapshot; fails the test if the example has loading errors. */
    public static MeshSnapshot snapshot(String name) {
        return LOADED.computeIfAbsent(name, n -> {
            LoadedMesh mesh = MeshLoader.load(dir(n));
            if (!mesh.errors().isEmpty()) {
                throw new AssertionError("example " + n + " has errors: " + mesh.errors());
            }
            return mesh.snapshot();
        });
    }

    /** The example measured by the default analyzer, once per test JVM. */
    public static List<WorkloadMeasurement> measurements(String name) {
        return MEASURED.computeIfAbsent(name, n -> analyzer().analyze(snapshot(n)));
    }

    public static List<TrafficEdge> edges(String name) {
        return TrafficEdges.read(dir(name).resolve("edges.csv"));
    }

    public static FootprintAnalyzer analyzer() {
        return new FootprintAnalyzer(new ProxyConfigGenerator(), ProxyFootprints.istioDefaults(2), ProxyKind.SIDECAR,
                Set.of("istio-system"));
    }

    public static ReportSettings settings(String source) {
        return new ReportSettings(source, ProxyKind.SIDECAR, 2, StatsProfile.ISTIO_DEFAULT, false);
    }

    public static FootprintReport report(String name, Optional<Proposal> proposal, List<TrafficEdge> traffic) {
        return new FootprintStudy(analyzer()).run(snapshot(name), proposal, traffic, settings("examples/" + name),
                List.of());
    }
}
