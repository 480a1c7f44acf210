package dev.meshpilot.bench.run;

import dev.meshpilot.insight.generate.SidecarMode;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The options every harness scenario shares (a picocli mixin): which mesh (generated from the real topologies or a
 * registry directory), which server jar and heap, where results, generated meshes and logs go, and the run's label.
 */
public final class MeshRunOptions {

    /** A mesh to run on and the scope name the CSV files give it. */
    public record Mesh(Path directory, String scope) {
    }

    @Option(names = "--copies", description = "Generate the mesh: copies of the real applications (~250 services each).")
    Integer copies;

    @Option(names = "--sidecars", defaultValue = "root-default", description = "none | root-default | traffic (when generating).")
    String sidecars;

    @Option(names = "--replicas-factor", description = "Replica multiplier when generating (default: just enough pods for the clients).")
    Double replicasFactor;

    @Option(names = "--registry", description = "Use this registry directory instead of generating one.")
    Path registry;

    @Option(names = "--topologies", description = "Topology folders (default examples/topologies of the repository).")
    Path topologies;

    @Option(names = "--jar", description = "The packaged server (default cli/target/meshpilot.jar).")
    Path jar;

    @Option(names = "--heap", defaultValue = "4g", description = "Server -Xmx.")
    String heap;

    @Option(names = "--out", defaultValue = "bench/results", description = "Folder for the result CSV files.")
    Path out;

    @Option(names = "--work", defaultValue = "bench/target/bench-work",
            description = "Where generated meshes go; server logs go to its sibling bench-logs.")
    Path work;

    @Option(names = "--label", description = "Names this run in the CSV (default: services x clients x scope).")
    String label;

    @Option(names = "--no-heap", description = "Skip the heap-after-GC measurement (it forces a full GC).")
    boolean noHeap;

    /** The mesh: {@code --registry} as given, or generated (reused when it exists) for {@code clients} proxies. */
    public Mesh mesh(Path repoRoot, int clients, CommandLine command) throws IOException {
        return mesh(repoRoot, clients, false, command);
    }

    /** The same; a generated mesh's pods ask for the proxyless gRPC injection template when {@code proxylessPods}. */
    public Mesh mesh(Path repoRoot, int clients, boolean proxylessPods, CommandLine command) throws IOException {
        if (registry != null) {
            return new Mesh(registry, "custom");
        }
        if (copies == null) {
            throw new CommandLine.ParameterException(command, "give --copies K or --registry DIR");
        }
        SidecarMode mode = SidecarMode.fromCliName(sidecars);
        Path source = topologies != null ? topologies : repoRoot.resolve("examples/topologies").normalize();
        return new Mesh(BenchMeshes.generated(source, copies, mode, replicasFactor, clients, proxylessPods, work,
                System.out),
                BenchMeshes.scopeOf(mode));
    }

    /** {@code --label}, or services x clients x scope x client kind. */
    public String label(MeshPods.Loaded loaded, int clients, String scope, String clientKind) {
        return label != null ? label
                : loaded.snapshot().services().size() + "svc-" + clients + "px-" + scope + "-" + clientKind;
    }

    public Path serverJar(Path repoRoot) {
        return jar != null ? jar : repoRoot.resolve("cli/target/meshpilot.jar");
    }

    public String heap() {
        return heap;
    }

    public Path out() {
        return out;
    }

    /** Where a server's log of this run goes. */
    public Path log(String name) {
        return work.resolveSibling("bench-logs").resolve(name + ".log");
    }

    public boolean measureHeap() {
        return !noHeap;
    }
}
