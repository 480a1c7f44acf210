package dev.meshpilot.cli.generate;

import dev.meshpilot.cli.UserException;
import dev.meshpilot.insight.generate.GeneratedMesh;
import dev.meshpilot.insight.generate.GeneratorOptions;
import dev.meshpilot.insight.generate.MeshGenerator;
import dev.meshpilot.insight.generate.SidecarMode;
import dev.meshpilot.insight.generate.Topology;
import dev.meshpilot.insight.generate.TopologyException;
import dev.meshpilot.insight.generate.TopologyReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code meshpilot generate}: a large registry directory made of K copies of the real applications, for scale
 * tests and benchmarks.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Writes a registry directory replicating the real applications of the topologies folder "
                + "into K groups of namespaces (APP-g1 ... APP-gK), for scale tests.",
                "About 250 services per copy: --copies 4 gives ~1k services, --copies 40 ~10k."})
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--copies", required = true, paramLabel = "K", description = "How many copies of every application.")
    int copies;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (new or empty).")
    Path out;

    @Option(names = "--replicas-factor", paramLabel = "F", defaultValue = "1",
            description = "Multiplies each workload's replicas (rounded, at least 1). Default: ${DEFAULT-VALUE}.")
    double replicasFactor;

    @Option(names = "--sidecars", paramLabel = "MODE", defaultValue = "none",
            description = "none | root-default (./* and istio-system/* in the root namespace) | traffic "
                    + "(per workload, exactly the hosts it calls). Default: ${DEFAULT-VALUE}.")
    String sidecars;

    @Option(names = "--topologies", paramLabel = "DIR",
            description = "Folder of application topologies. Default: examples/topologies of the meshpilot "
                    + "installation (the launcher's folder), else of the working directory.")
    Path topologies;

    @Override
    public Integer call() {
        SidecarMode mode;
        GeneratorOptions options;
        try {
            mode = SidecarMode.fromCliName(sidecars);
            options = new GeneratorOptions(copies, replicasFactor, mode);
        } catch (IllegalArgumentException e) {
            throw new UserException("generate: " + e.getMessage());
        }
        Path source = topologies != null ? topologies : defaultTopologies();
        try {
            List<Topology> apps = new TopologyReader().readAll(source);
            GeneratedMesh mesh = new MeshGenerator().generate(apps, options, out);
            spec.commandLine().getOut().println(mesh.summary());
        } catch (TopologyException e) {
            throw new UserException("generate: " + e.getMessage());
        }
        return 0;
    }

    private static Path defaultTopologies() {
        String home = System.getenv("MESHPILOT_HOME");
        Path root = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
        return root.resolve("examples/topologies").normalize();
    }
}
