package dev.meshpilot.bench.storm;

import dev.meshpilot.bench.client.ClientKind;
import dev.meshpilot.bench.run.BenchMeshes;
import dev.meshpilot.bench.run.CsvFiles;
import dev.meshpilot.bench.run.MeshPods;
import dev.meshpilot.bench.run.ServerProcess;
import dev.meshpilot.insight.generate.SidecarMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench/run.sh --scenario storm}: N simulated proxies converge on meshpilot, the server is killed and started
 * again, and every proxy reconnects (all at once, and/or with Envoy's jittered backoff). Appends to
 * {@code bench/results/storms.csv} and exits non-zero unless every proxy came back to exactly what it held.
 */
@Command(name = "bench-storm", mixinStandardHelpOptions = true,
        description = "Reconnect storm: kill and restart meshpilot under N converged proxies; time until all are back.")
public final class StormRun implements Callable<Integer> {

    @Option(names = "--copies", description = "Generate the mesh: copies of the real applications (~250 services each).")
    Integer copies;

    @Option(names = "--sidecars", defaultValue = "root-default", description = "none | root-default | traffic (when generating).")
    String sidecars;

    @Option(names = "--registry", description = "Use this registry directory instead of generating one.")
    Path registry;

    @Option(names = "--topologies", description = "Topology folders (default examples/topologies of the repository).")
    Path topologies;

    @Option(names = "--clients", defaultValue = "1000")
    int clients;

    @Option(names = "--kind", defaultValue = "envoy-sotw", description = "envoy-sotw | envoy-delta | grpc")
    String kind;

    @Option(names = "--modes", defaultValue = "all-at-once,envoy-backoff", split = ",",
            description = "all-at-once | envoy-backoff (each a separate run)")
    List<String> modes;

    @Option(names = "--connect-rate", defaultValue = "0", description = "Cold start: clients connected per second (0: all at once).")
    int connectRate;

    @Option(names = "--converge-timeout", defaultValue = "300", description = "Seconds, for the cold start and for the storm.")
    int convergeTimeout;

    @Option(names = "--quiet-ms", defaultValue = "3000",
            description = "Wait this long before the kill, and after all are back (responses then are needless).")
    int quietMs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the backoff jitter.")
    long seed;

    @Option(names = "--jar", description = "The packaged server (default cli/target/meshpilot.jar).")
    Path jar;

    @Option(names = "--heap", defaultValue = "4g", description = "Server -Xmx.")
    String heap;

    @Option(names = "--out", defaultValue = "bench/results", description = "Folder for storms.csv.")
    Path out;

    @Option(names = "--work", defaultValue = "bench/target/bench-work",
            description = "Where generated meshes go; server logs go to its sibling bench-logs.")
    Path work;

    @Option(names = "--label", description = "Names this run in the CSV (default: services x clients x scope).")
    String label;

    @Option(names = "--no-heap", description = "Skip the heap-after-GC measurement (it forces a full GC).")
    boolean noHeap;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StormRun()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path repoRoot = Path.of(System.getProperty("meshpilot.repo.root", ".")).toAbsolutePath().normalize();
        ClientKind clientKind = ClientKind.fromCliName(kind);
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
            Path source = topologies != null ? topologies : repoRoot.resolve("examples/topologies").normalize();
            mesh = BenchMeshes.generated(source, copies, mode, null, clients, work, System.out);
        }
        MeshPods.Loaded loaded = MeshPods.load(mesh);
        String runLabel = label != null ? label
                : loaded.snapshot().services().size() + "svc-" + clients + "px-" + scope + "-" + clientKind.cliName();
        Path serverJar = jar != null ? jar : repoRoot.resolve("cli/target/meshpilot.jar");
        Files.createDirectories(out);
        StormHarness harness = new StormHarness(System.out);
        List<StormResult> results = new ArrayList<>();
        for (String modeName : modes) {
            ReconnectMode mode = ReconnectMode.fromCliName(modeName);
            StormHarness.Settings settings = new StormHarness.Settings(clients, clientKind, mode, connectRate,
                    Duration.ofSeconds(convergeTimeout), Duration.ofMillis(quietMs), seed, runLabel, !noHeap);
            Path log = work.resolveSibling("bench-logs").resolve(runLabel + "-storm-" + mode.cliName() + ".log");
            StormResult result = harness.run(settings, loaded, mesh,
                    dir -> ServerProcess.meshpilot(serverJar, dir, heap, log));
            results.add(result);
            CsvFiles.append(out.resolve("storms.csv"), StormResult.CSV_HEADER, List.of(result.csvRow()));
        }
        System.out.println();
        System.out.println("reconnect storms (" + runLabel + "):");
        results.forEach(r -> System.out.println("  " + r.describe()));
        return results.stream().allMatch(StormResult::allBackUnchanged) ? 0 : 1;
    }
}
