package dev.meshpilot.bench.run;

import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.insight.generate.GeneratedMesh;
import dev.meshpilot.insight.generate.GeneratorOptions;
import dev.meshpilot.insight.generate.MeshGenerator;
import dev.meshpilot.insight.generate.SidecarMode;
import dev.meshpilot.insight.generate.Topology;
import dev.meshpilot.insight.generate.TopologyReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The meshes the harness scenarios run on: {@code copies} copies of the real applications, generated once into the
 * work folder and reused by later runs with the same shape.
 */
public final class BenchMeshes {

    /**
     * Istio's injection template for proxyless gRPC pods (istio-agent, no Envoy): the pod templates of a mesh
     * generated for proxyless runs ask for it, as an Istio user declares such pods.
     */
    static final String GRPC_AGENT = "grpc-agent";

    private BenchMeshes() {
    }

    /** The scope name the CSV files use for a sidecar mode. */
    public static String scopeOf(SidecarMode mode) {
        return switch (mode) {
            case NONE -> "none";
            case ROOT_DEFAULT -> "namespace";
            case TRAFFIC -> "traffic";
        };
    }

    /**
     * Generates (or reuses) a mesh of {@code copies} copies of the topologies under {@code topologies}, with enough
     * pods for {@code clients} proxies unless {@code replicasFactor} is given.
     */
    public static Path generated(Path topologies, int copies, SidecarMode mode, Double replicasFactor, int clients,
                                 Path work, PrintStream log) throws IOException {
        return generated(topologies, copies, mode, replicasFactor, clients, false, work, log);
    }

    /**
     * The same, with every pod template asking for Istio's {@code grpc-agent} injection template when
     * {@code proxylessPods} (runs whose clients are proxyless gRPC: the pods they stand for would be declared so).
     */
    public static Path generated(Path topologies, int copies, SidecarMode mode, Double replicasFactor, int clients,
                                 boolean proxylessPods, Path work, PrintStream log) throws IOException {
        List<Topology> apps = new TopologyReader().readAll(topologies);
        int podsPerCopy = apps.stream().flatMap(t -> t.workloads().stream())
                .mapToInt(w -> Math.max(1, w.path("spec").path("replicas").asInt(1))).sum();
        double factor = replicasFactor != null ? replicasFactor
                : Math.max(1, Math.ceil(clients / (double) (podsPerCopy * copies)));
        Path dir = work.resolve(String.format(Locale.ROOT, "k%d-%s-f%s%s", copies, mode.cliName(),
                RunResult.fmt(factor), proxylessPods ? "-grpc" : ""));
        if (Files.isDirectory(dir)) {
            log.println("reusing generated mesh " + dir);
            return dir;
        }
        Map<String, String> annotations = proxylessPods ? Map.of(ProxyIdentities.INJECT_TEMPLATES, GRPC_AGENT)
                : Map.of();
        GeneratedMesh generated = new MeshGenerator().generate(apps,
                new GeneratorOptions(copies, factor, mode, annotations), dir);
        log.println(generated.summary());
        annotations.forEach((name, value) -> log.println("annotated " + generated.workloads() + " workloads with "
                + name + ": " + value));
        return dir;
    }
}
