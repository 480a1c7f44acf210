package dev.meshpilot.bench.run;

import dev.meshpilot.bench.client.ClientKind;
import dev.meshpilot.insight.generate.SidecarMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The scale harness's command line ({@code bench/run.sh}): generate a mesh (or take a registry directory), run the
 * simulated clients against meshpilot and/or the java-control-plane peer, append the figures to CSV files and
 * print a summary with ratios.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs N simulated xDS clients against meshpilot (and the java-control-plane peer) on a generated mesh.")
public final class LoadRun implements Callable<Integer> {

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

    @Option(names = "--clients", defaultValue = "200")
    int clients;

    @Option(names = "--kind", defaultValue = "envoy-sotw", description = "envoy-sotw | envoy-delta | grpc")
    String kind;

    @Option(names = "--servers", defaultValue = "meshpilot", split = ",", description = "meshpilot,jcp")
    List<String> servers;

    @Option(names = "--events", defaultValue = "endpoint,new-service,sidecar,meshconfig", split = ",")
    List<String> events;

    @Option(names = "--rounds", defaultValue = "3", description = "Repetitions of each event.")
    int rounds;

    @Option(names = "--clients-per-connection", defaultValue = "1")
    int clientsPerConnection;

    @Option(names = "--connect-rate", defaultValue = "0", description = "Clients connected per second (0: all at once).")
    int connectRate;

    @Option(names = "--converge-timeout", defaultValue = "300", description = "Seconds.")
    int convergeTimeout;

    @Option(names = "--quiet-ms", defaultValue = "1000", description = "No response for this long = settled.")
    int quietMs;

    @Option(names = "--settle-min-ms", defaultValue = "3000",
            description = "An event is measured for at least this long after its write.")
    int settleMinMs;

    @Option(names = "--settle-timeout", defaultValue = "90", description = "Seconds to wait for an event to settle.")
    int settleTimeout;

    @Option(names = "--jar", description = "The packaged server (default cli/target/meshpilot.jar).")
    Path jar;

    @Option(names = "--heap", defaultValue = "4g", description = "Server -Xmx.")
    String heap;

    @Option(names = "--out", defaultValue = "bench/results", description = "Folder for runs.csv and events.csv.")
    Path out;

    @Option(names = "--work", defaultValue = "bench/target/bench-work",
            description = "Where generated meshes go; server logs go to its sibling bench-logs.")
    Path work;

    @Option(names = "--label", description = "Names this run in the CSV (default: services x clients x scope).")
    String label;

    @Option(names = "--no-heap", description = "Skip the heap-after-GC measurement (it forces a full GC).")
    boolean noHeap;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadRun()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path repoRoot = Path.of(System.getProperty("meshpilot.repo.root", ".")).toAbsolutePath().normalize();
        ClientKind clientKind = ClientKind.fromCliName(kind);
        List<RegistryEvents.Kind> eventKinds = events.stream().filter(e -> !e.isBlank())
                .map(RegistryEvents.Kind::fromCliName).toList();
        String scope;
        Path mesh;
        if (registry != null) {
            mesh = registry;
            scope = "custom";
        } else {
            if (copies == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "give --copies K or --registry DIR");
            }
            SidecarMode mode = SidecarMode.fromCliName(sidecars);
            scope = BenchMeshes.scopeOf(mode);
            mesh = generate(repoRoot, mode);
        }
        MeshPods.Loaded loaded = MeshPods.load(mesh);
        String runLabel = label != null ? label
                : loaded.snapshot().services().size() + "svc-" + clients + "px-" + scope + "-" + clientKind.cliName();
        LoadHarness.Settings settings = new LoadHarness.Settings(mesh, clients, clientKind, eventKinds, rounds,
                clientsPerConnection, connectRate, Duration.ofSeconds(convergeTimeout), Duration.ofMillis(quietMs),
                Duration.ofMillis(settleMinMs), Duration.ofSeconds(settleTimeout), runLabel, scope, !noHeap);
        Path serverJar = jar != null ? jar : repoRoot.resolve("cli/target/meshpilot.jar");
        Files.createDirectories(out);
        LoadHarness harness = new LoadHarness(System.out);
        List<RunResult> results = new ArrayList<>();
        for (String server : servers) {
            Path log = work.resolveSibling("bench-logs").resolve(runLabel + "-" + server + ".log");
            RunResult result = switch (server) {
                case "meshpilot" -> harness.run(settings, loaded, dir -> ServerProcess.meshpilot(serverJar, dir, heap, log));
                case "jcp" -> harness.run(settings, loaded, dir -> ServerProcess.peer(dir, heap, clientKind.proxyless(),
                        MeshPods.spread(loaded.pods(), clients).stream().map(p -> p.proxyId()).toList(), log));
                default -> throw new CommandLine.ParameterException(new CommandLine(this),
                        "unknown server '" + server + "' (meshpilot, jcp)");
            };
            results.add(result);
            CsvFiles.append(out.resolve("runs.csv"), RunResult.CSV_HEADER, List.of(result.csvRow()));
            CsvFiles.append(out.resolve("events.csv"), EventResult.CSV_HEADER,
                    result.events().stream().map(e -> e.csvRow(runLabel)).toList());
        }
        new Summary(System.out).print(results);
        return results.stream().allMatch(r -> r.converged() == r.clients()) ? 0 : 1;
    }

    private Path generate(Path repoRoot, SidecarMode mode) throws IOException {
        Path source = topologies != null ? topologies : repoRoot.resolve("examples/topologies").normalize();
        return BenchMeshes.generated(source, copies, mode, replicasFactor, clients, work, System.out);
    }
}
