package dev.meshpilot.bench.learn;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bench/run.sh --scenario learning}: learning runs ({@link LearningHarness}) against the packaged server on a
 * registry with an edges.csv, one per {@code --modes} entry; appends a row each to {@code bench/results/learning.csv}
 * and prints a summary.
 */
@Command(name = "bench --scenario learning", mixinStandardHelpOptions = true,
        description = "Simulated Envoys make the calls of edges.csv and report them as access logs to a learning server.")
public final class LearningRun implements Callable<Integer> {

    @Option(names = "--registry", defaultValue = "examples/shared-cluster", description = "Registry directory with edges.csv.")
    Path registry;

    @Option(names = "--modes", defaultValue = "learned,shadow", split = ",", description = "learned,shadow")
    List<String> modes;

    @Option(names = "--reevaluate", defaultValue = "2s", description = "--learning-reevaluate-interval of the server.")
    String reevaluate;

    @Option(names = "--flush", defaultValue = "200ms", description = "--access-log-flush-interval of the server.")
    String flush;

    @Option(names = "--jar", description = "The packaged server (default cli/target/meshpilot.jar).")
    Path jar;

    @Option(names = "--heap", defaultValue = "4g", description = "Server -Xmx.")
    String heap;

    @Option(names = "--out", defaultValue = "bench/results", description = "Folder for learning.csv.")
    Path out;

    @Option(names = "--logs", defaultValue = "bench/target/bench-logs", description = "Server logs.")
    Path logs;

    @Option(names = "--label", description = "Names the run in the CSV (default: the registry's folder name).")
    String label;

    @Option(names = "--quiet-ms", defaultValue = "600", description = "No xDS response for this long = settled.")
    int quietMs;

    @Option(names = "--ack-timeout", defaultValue = "15", description = "Seconds a fallback call waits for its cluster.")
    int ackTimeout;

    @Option(names = "--connect-after-reevaluation",
            description = "Connect the proxies only after the server's first re-evaluation (default: at once).")
    boolean connectAfterReevaluation;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LearningRun()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path repoRoot = Path.of(System.getProperty("meshpilot.repo.root", ".")).toAbsolutePath().normalize();
        Path serverJar = jar != null ? jar : repoRoot.resolve("cli/target/meshpilot.jar");
        String runLabel = label != null ? label : registry.toAbsolutePath().normalize().getFileName().toString();
        Oracle oracle = Oracle.of(registry, registry.resolve("edges.csv"));
        System.out.printf(Locale.ROOT, "footprint analyser on %s: traffic oracle %d clusters, no Sidecar %d%n",
                registry, oracle.oracleClusters(), oracle.upperBoundClusters(),
                    connectAfterReevaluation);
        Files.createDirectories(out);
        List<LearningResult> results = new ArrayList<>();
        for (String mode : modes) {
            LearningHarness.Settings settings = new LearningHarness.Settings(registry, serverJar, mode, reevaluate,
                    flush, heap, logs.resolve("learning-" + runLabel + "-" + mode + ".log"), runLabel,
                    Duration.ofMinutes(5), Duration.ofSeconds(ackTimeout), Duration.ofMillis(quietMs),
                    oracle.oracleClusters(), oracle.upperBoundClusters(),
                    connectAfterReevaluation);
            LearningResult result = new LearningHarness(System.out).run(settings);
            results.add(result);
            Path csv = out.resolve("learning.csv");
            if (!Files.exists(csv)) {
                Files.writeString(csv, LearningResult.CSV_HEADER + "\n");
            }
            Files.writeString(csv, result.csvRow() + "\n", StandardOpenOption.APPEND);
        }
        results.forEach(r -> print(System.out, r));
        return results.stream().allMatch(LearningRun::correct) ? 0 : 1;
    }

    /** Every call had a path, learned clusters within 5 % of the oracle, no push outside a widening workload. */
    public static boolean correct(LearningResult r) {
        boolean common = r.noPathCalls() == 0 && r.noPathAfterLearning() == 0 && r.failures().isEmpty();
        return r.mode().equals("learned")
                ? common && r.fallbackAfterLearning() == 0 && r.pushesOutside() == 0 && r.widenPushedBeyondWorkload() == 0
                && r.fallbacksNeverAcked() == 0
                && r.finalClusters() <= 1.05 * r.oracleClusters()
                : common && r.fallbackCalls() == 0 && r.learnzLearnedEdges() > 0
                && r.learnzLearnedClusters() < r.learnzUpperBoundClusters();
    }

    public static void print(PrintStream out, LearningResult r) {
        out.println();
        out.printf(Locale.ROOT, "=== learning run: %s, --scoping %s ===%n", r.label(), r.mode());
        out.printf(Locale.ROOT, "  %d proxies, %d workloads, %d calls (edges.csv, per proxy of the caller)%n",
                r.proxies(), r.workloads(), r.calls());
        out.printf(Locale.ROOT, "  clusters over all proxies (CDS held): most ever held %,d (analyser's no-Sidecar "
                        + "figure %,d); at cold convergence %,d; after the first re-evaluation %,d; at the end %,d = "
                        + "%.3f x the traffic oracle %,d%n", r.peakClusters(), r.upperBoundClusters(), r.coldClusters(),
                r.narrowedClusters(), r.finalClusters(), r.finalVsOracle(), r.oracleClusters());
        out.printf(Locale.ROOT, "  calls: %d in scope, %d through a fallback (PassthroughCluster), %d without a path; "
                        + "after learning: %d fallback, %d without a path%n", r.inScopeCalls(), r.fallbackCalls(),
                r.noPathCalls(), r.fallbackAfterLearning(), r.noPathAfterLearning());
        out.printf(Locale.ROOT, "  first fallback call -> proper cluster ACKed: %d clusters, p50 %.1f  p99 %.1f  "
                        + "max %.1f ms; never ACKed %d%n", r.fallbacksAcked(), r.fallbackToAck().p50Ms(),
                r.fallbackToAck().p99Ms(), r.fallbackToAck().maxMs(), r.fallbacksNeverAcked());
        if (!r.fallbackVias().isEmpty()) {
            out.println("  fallback paths (listener/chain[/virtual host]: calls): " + new java.util.TreeMap<>(r.fallbackVias()));
        }
        out.printf(Locale.ROOT, "  widenings: %d workloads, %d of their proxies pushed; proxies of other workloads "
                + "pushed meanwhile: %d %s%n", r.workloadsWidened(), r.proxiesPushedByOwnWidening(), r.pushesOutside(),
                r.outsideExamples().isEmpty() ? "" : r.outsideExamples());
        out.printf(Locale.ROOT, "  server push summaries (reason=learning-widen): %d pushes, %d proxies pushed, %d "
                + "beyond the widened workloads' own proxies%n", r.widenPushes(), r.widenPushedProxies(),
                r.widenPushedBeyondWorkload());
        out.printf(Locale.ROOT, "  /debug/learnz (outbound service ports per workload): upper bound %,d clusters, "
                        + "learned %,d (%.1f%%), %d distinct scopes, %d learned edges%n", r.learnzUpperBoundClusters(),
                r.learnzLearnedClusters(), 100.0 * r.learnzLearnedClusters() / Math.max(1, r.learnzUpperBoundClusters()),
                r.learnzDistinctScopes(), r.learnzLearnedEdges());
        out.printf(Locale.ROOT, "  server CPU %.1f s, run %.0f s%s%n", r.serverCpuSeconds(), r.seconds(),
                r.failures().isEmpty() ? "" : "; failures: " + r.failures());
        out.println("  " + (correct(r) ? "CORRECT" : "NOT CORRECT"));
    }

}
