package dev.meshpilot.bench.storm;

import dev.meshpilot.bench.client.ClientKind;
import dev.meshpilot.bench.run.CsvFiles;
import dev.meshpilot.bench.run.MeshRunOptions;
import dev.meshpilot.bench.run.MeshPods;
import dev.meshpilot.bench.run.ServerProcess;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    MeshRunOptions run = new MeshRunOptions();

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

    @Option(names = "--serve-option", paramLabel = "OPT",
            description = "A further option for meshpilot serve, repeatable; e.g. --serve-option=--new-stream-rate=25 "
                    + "runs the storm through the server's new-stream rate limit (the harness lifts it otherwise).")
    List<String> serveOptions = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the backoff jitter.")
    long seed;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StormRun()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path repoRoot = Path.of(System.getProperty("meshpilot.repo.root", ".")).toAbsolutePath().normalize();
        ClientKind clientKind = ClientKind.fromCliName(kind);
        MeshRunOptions.Mesh mesh = run.mesh(repoRoot, clients, new CommandLine(this));
        MeshPods.Loaded loaded = MeshPods.load(mesh.directory());
        String runLabel = run.label(loaded, clients, mesh.scope(), clientKind.cliName());
        Path serverJar = run.serverJar(repoRoot);
        Files.createDirectories(run.out());
        StormHarness harness = new StormHarness(System.out);
        List<StormResult> results = new ArrayList<>();
        for (String modeName : modes) {
            ReconnectMode mode = ReconnectMode.fromCliName(modeName);
            StormHarness.Settings settings = new StormHarness.Settings(clients, clientKind, mode, connectRate,
                    Duration.ofSeconds(convergeTimeout), Duration.ofMillis(quietMs), seed, runLabel, run.measureHeap());
            Path log = run.log(runLabel + "-storm-" + mode.cliName());
            StormResult result = harness.run(settings, loaded, mesh.directory(),
                    dir -> ServerProcess.meshpilot(serverJar, dir, run.heap(), log, serveOptions));
            results.add(result);
            CsvFiles.append(run.out().resolve("storms.csv"), StormResult.CSV_HEADER, List.of(result.csvRow()));
        }
        System.out.println();
        System.out.println("reconnect storms (" + runLabel + "):");
        results.forEach(r -> System.out.println("  " + r.describe()));
        return results.stream().allMatch(StormResult::allBackUnchanged) ? 0 : 1;
    }
}
