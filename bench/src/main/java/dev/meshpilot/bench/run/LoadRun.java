package dev.meshpilot.bench.run;

import dev.meshpilot.bench.client.ClientKind;
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
 * The scale harness's command line ({@code bench/run.sh}): generate a mesh (or take a registry directory), run the
 * simulated clients against meshpilot and/or the java-control-plane peer, append the figures to CSV files and
 * print a summary with ratios.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs N simulated xDS clients against meshpilot (and the java-control-plane peer) on a generated mesh.")
public final class LoadRun implements Callable<Integer> {

    @Mixin
    MeshRunOptions run = new MeshRunOptions();

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

    @Option(names = "--warm-up-clients", defaultValue = "1000",
            description = "Before the measured runs, warm the harness itself with an unmeasured cold start of this many"
                    + " clients against the first server (0: none; default: ${DEFAULT-VALUE}).")
    int warmUpClients;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadRun()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path repoRoot = Path.of(System.getProperty("meshpilot.repo.root", ".")).toAbsolutePath().normalize();
        ClientKind clientKind = ClientKind.fromCliName(kind);
        List<RegistryEvents.Kind> eventKinds = events.stream().filter(e -> !e.isBlank())
                .map(RegistryEvents.Kind::fromCliName).toList();
        MeshRunOptions.Mesh mesh = run.mesh(repoRoot, clients, clientKind.proxyless(), new CommandLine(this));
        String scope = mesh.scope();
        MeshPods.Loaded loaded = MeshPods.load(mesh.directory());
        String runLabel = run.label(loaded, clients, scope, clientKind.cliName());
        LoadHarness.Settings settings = new LoadHarness.Settings(mesh.directory(), clients, clientKind, eventKinds,
                rounds, clientsPerConnection, connectRate, Duration.ofSeconds(convergeTimeout),
                Duration.ofMillis(quietMs), Duration.ofMillis(settleMinMs), Duration.ofSeconds(settleTimeout), runLabel,
                scope, run.measureHeap());
        Path serverJar = run.serverJar(repoRoot);
        String heap = run.heap();
        Path out = run.out();
        Files.createDirectories(out);
        LoadHarness harness = new LoadHarness(System.out);
        List<RunResult> results = new ArrayList<>();
        java.util.function.BiFunction<String, Path, java.util.function.Function<Path, ServerProcess>> factory =
                (server, log) -> switch (server) {
                    case "meshpilot" -> dir -> ServerProcess.meshpilot(serverJar, dir, heap, log);
                    case "jcp" -> dir -> ServerProcess.peer(dir, heap, clientKind.proxyless(),
                            MeshPods.spread(loaded.pods(), clients).stream().map(p -> p.proxyId()).toList(), log);
                    default -> throw new CommandLine.ParameterException(new CommandLine(this),
                            "unknown server '" + server + "' (meshpilot, jcp)");
                };
        if (warmUpClients > 0 && !servers.isEmpty()) {
            harness.warmUp(settings, loaded, factory.apply(servers.get(0), run.log(runLabel + "-warm-up")),
                    warmUpClients);
        }
        for (String server : servers) {
            Path log = run.log(runLabel + "-" + server);
            RunResult result = harness.run(settings, loaded, factory.apply(server, log));
            results.add(result);
            CsvFiles.append(out.resolve("runs.csv"), RunResult.CSV_HEADER, List.of(result.csvRow()));
            CsvFiles.append(out.resolve("events.csv"), EventResult.CSV_HEADER,
                    result.events().stream().map(e -> e.csvRow(runLabel)).toList());
        }
        new Summary(System.out).print(results);
        return results.stream().allMatch(r -> r.converged() == r.clients()) ? 0 : 1;
    }
}
