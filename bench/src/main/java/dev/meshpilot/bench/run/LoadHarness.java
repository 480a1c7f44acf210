package dev.meshpilot.bench.run;

import dev.meshpilot.bench.client.ClientFleet;
import dev.meshpilot.bench.client.ClientKind;
import dev.meshpilot.bench.client.Convergence;
import dev.meshpilot.bench.client.EventOutcome;
import dev.meshpilot.bench.client.ProxyNode;
import dev.meshpilot.bench.client.RunClock;
import dev.meshpilot.bench.client.SimClient;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One measured run: start a server process on a registry directory, connect N simulated clients, wait for cold
 * convergence, then write each event to the registry and measure who changed, how fast, and who was pushed for
 * nothing; finally read the process's CPU, heap after GC and RSS. The registry is restored afterwards.
 */
public final class LoadHarness {

    /** What to run. */
    public record Settings(Path registry, int clients, ClientKind kind, List<RegistryEvents.Kind> events, int rounds,
                           int clientsPerConnection, int connectPerSecond, Duration convergeTimeout, Duration quiet,
                           Duration settleAtLeast, Duration settleTimeout, String label, String scope,
                           boolean measureHeap) {
    }

    private final PrintStream log;

    public LoadHarness(PrintStream log) {
        this.log = log;
    }

    /**
     * Warms this harness's own code (client decoding, digests, the JIT of its JVM) with an unmeasured cold start of
     * up to {@code clients} clients against a server that is then stopped. Without it the first server measured in a
     * run pays for the harness's JIT on the same two cores: a cell measured meshpilot-first and then peer-first
     * swapped which server looked faster to a cold start (harness CPU 7.1 s against the first server, 4.3 s against
     * the second).
     */
    public void warmUp(Settings settings, MeshPods.Loaded mesh, Function<Path, ServerProcess> serverFactory,
                       int clients) throws InterruptedException {
        List<ProxyNode> proxies = MeshPods.spread(mesh.pods(), Math.min(clients, settings.clients()));
        long start = System.nanoTime();
        try (ServerProcess server = serverFactory.apply(settings.registry());
             ClientFleet fleet = new ClientFleet("127.0.0.1", server.xdsPort(), proxies, settings.kind(),
                     settings.clientsPerConnection(), new RunClock())) {
            fleet.startAll(0);
            Convergence warm = fleet.awaitConvergence(settings.convergeTimeout());
            log.printf("[warm-up] harness warmed against %s with %d/%d clients in %.0f ms (not measured)%n",
                    server.label(), warm.convergedNanos().size(), proxies.size(), (System.nanoTime() - start) / 1e6);
        }
    }

    public RunResult run(Settings settings, MeshPods.Loaded mesh, Function<Path, ServerProcess> serverFactory)
            throws InterruptedException {
        List<ProxyNode> proxies = MeshPods.spread(mesh.pods(), settings.clients());
        RunClock clock = new RunClock();
        RegistryEvents events = new RegistryEvents(settings.registry(), mesh.snapshot(), proxies, clock::now,
                settings.scope(), settings.kind().proxyless());
        Thread restore = new Thread(events::reset, "restore-registry");
        Runtime.getRuntime().addShutdownHook(restore);
        try (ServerProcess server = serverFactory.apply(settings.registry());
             ClientFleet fleet = new ClientFleet("127.0.0.1", server.xdsPort(), proxies, settings.kind(),
                     settings.clientsPerConnection(), clock)) {
            log.printf("[%s] %s: %d clients (%s) connecting; pid %d%n", server.label(), settings.label(),
                    proxies.size(), settings.kind().cliName(), server.pid());
            double cpuBefore = server.cpuSeconds();
            double harnessBefore = ownCpuSeconds();
            fleet.startAll(settings.connectPerSecond());
            Convergence cold = fleet.awaitConvergence(settings.convergeTimeout());
            double coldCpu = server.cpuSeconds() - cpuBefore;
            long harnessHeap = settings.measureHeap() ? ownHeapAfterGc() : -1;
            log.printf("[%s] cold: %d/%d converged, all in %.0f ms, server CPU %.1f s%s%n", server.label(),
                    cold.convergedNanos().size(), cold.clients(), cold.allNanos() / 1e6, coldCpu,
                    cold.failures().isEmpty() ? "" : "; failures: " + cold.failures());

            List<EventResult> results = new ArrayList<>();
            if (cold.allConverged()) {
                Thread.sleep(settings.quiet().toMillis());
                for (RegistryEvents.Kind kind : settings.events()) {
                    for (int round = 0; round < settings.rounds(); round++) {
                        results.add(measure(server, fleet, events.next(kind, round), round, settings));
                    }
                }
            }
            double cpu = server.cpuSeconds() - cpuBefore;
            long rss = server.rssBytes();
            long heap = settings.measureHeap() ? server.heapAfterGcBytes() : -1;
            List<String> failures = new ArrayList<>(cold.failures());
            for (SimClient client : fleet.clients()) {
                if (client.failure() != null && failures.size() < 5 && !cold.failures().contains(
                        client.proxy().proxyId() + ": " + client.failure())) {
                    failures.add(client.proxy().proxyId() + ": " + client.failure());
                }
            }
            return new RunResult(server.label(), settings.label(), mesh.snapshot().services().size(), proxies.size(),
                    settings.scope(), settings.kind().cliName(), cold.convergedNanos().size(), cold.allNanos() / 1e6,
                    Percentiles.ofNanos(cold.convergedNanos()), coldCpu, results, cpu, heap, rss,
                    fleet.bytesReceived(), fleet.responses(), failures, ownCpuSeconds() - harnessBefore, harnessHeap);
        } finally {
            events.reset();
            try {
                Runtime.getRuntime().removeShutdownHook(restore);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will run; reset() is idempotent
            }
        }
    }

    private EventResult measure(ServerProcess server, ClientFleet fleet, RegistryEvents.Change change, int round,
                                Settings settings) throws InterruptedException {
        List<Boolean> expected = new ArrayList<>();
        List<SimClient> mustChange = new ArrayList<>();
        if (change.expected() != null) {
            for (SimClient client : fleet.clients()) {
                boolean needs = change.expected().test(client);
                expected.add(needs);
                if (needs) {
                    mustChange.add(client);
                }
            }
        }
        double cpuBefore = server.cpuSeconds();
        long writeNanos = System.nanoTime();
        fleet.mark(writeNanos);
        long written = change.write().getAsLong();
        List<EventOutcome> outcomes = fleet.awaitSettled(written, mustChange, settings.quiet(),
                settings.settleAtLeast(), settings.settleTimeout());
        double cpu = server.cpuSeconds() - cpuBefore;

        List<Long> latencies = new ArrayList<>();
        int needless = 0;
        int redundant = 0;
        int missed = 0;
        int expectedCount = change.expected() == null ? -1 : 0;
        for (int i = 0; i < outcomes.size(); i++) {
            EventOutcome outcome = outcomes.get(i);
            if (outcome.changed()) {
                latencies.add(outcome.latencyNanos() - (written - writeNanos));
                redundant += outcome.responses() - outcome.changingResponses();
            } else if (outcome.needless()) {
                needless++;
            }
            if (!expected.isEmpty() && expected.get(i)) {
                expectedCount++;
                if (!outcome.changed()) {
                    missed++;
                }
            }
        }
        Percentiles latency = Percentiles.ofNanos(latencies);
        EventResult result = new EventResult(server.label(), change.kind().cliName(), round, change.description(),
                latencies.size(), expectedCount, missed, latency, needless, redundant, cpu);
        log.printf("[%s] %-11s #%d %-60s needed %5d (expected %s, missed %d)  p50 %7.1f  p99 %7.1f  max %7.1f ms"
                        + "  needless %d  redundant %d  cpu %.2f s%n", server.label(), change.kind().cliName(), round,
                truncate(change.description(), 60), latencies.size(), expectedCount < 0 ? "-" : expectedCount, missed,
                latency.p50Ms(), latency.p99Ms(), latency.maxMs(), needless, redundant, cpu);
        return result;
    }

    /** CPU time of this JVM (the simulated clients), to show whether the harness itself was the bottleneck. */
    private static double ownCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** This JVM's heap in use after a full GC: what N simulated clients (and their channels) hold. */
    private static long ownHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
