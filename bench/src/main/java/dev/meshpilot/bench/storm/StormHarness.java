package dev.meshpilot.bench.storm;

import dev.meshpilot.bench.client.ClientFleet;
import dev.meshpilot.bench.client.ClientKind;
import dev.meshpilot.bench.client.Convergence;
import dev.meshpilot.bench.client.ProxyNode;
import dev.meshpilot.bench.client.RunClock;
import dev.meshpilot.bench.client.SimClient;
import dev.meshpilot.bench.run.MeshPods;
import dev.meshpilot.bench.run.Percentiles;
import dev.meshpilot.bench.run.ServerProcess;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A reconnect storm: N simulated proxies connect and converge, the server process is killed (SIGKILL) and started
 * again on the same ports and registry, and every proxy reconnects — all in the same instant, or each after Envoy's
 * jittered backoff ({@link ReconnectMode}). Measures the time until every proxy holds a complete configuration again,
 * the new process's CPU and heap, whether each proxy holds exactly what it held before, and whether anything reached
 * a proxy after it had converged again (a needless re-push).
 */
public final class StormHarness {

    /** What to run. */
    public record Settings(int clients, ClientKind kind, ReconnectMode mode, int connectPerSecond,
                           Duration convergeTimeout, Duration quiet, long seed, String label, boolean measureHeap) {
    }

    private final PrintStream log;

    public StormHarness(PrintStream log) {
        this.log = log;
    }

    public StormResult run(Settings settings, MeshPods.Loaded mesh, Path registry,
                           Function<Path, ServerProcess> serverFactory) throws InterruptedException {
        List<ProxyNode> proxies = MeshPods.spread(mesh.pods(), settings.clients());
        RunClock clock = new RunClock();
        ServerProcess server = serverFactory.apply(registry);
        ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "envoy-backoff");
            t.setDaemon(true);
            return t;
        });
        try (ClientFleet fleet = new ClientFleet("127.0.0.1", server.xdsPort(), proxies, settings.kind(), 1, clock)) {
            log.printf("[%s] %s: %d clients (%s) connecting; pid %d%n", server.label(), settings.label(),
                    proxies.size(), settings.kind().cliName(), server.pid());
            fleet.startAll(settings.connectPerSecond());
            Convergence cold = fleet.awaitConvergence(settings.convergeTimeout());
            log.printf("[%s] cold: %d/%d converged in %.0f ms%n", server.label(), cold.convergedNanos().size(),
                    cold.clients(), cold.allNanos() / 1e6);
            if (!cold.allConverged()) {
                return failed(settings, mesh, server, proxies.size(), cold.failures());
            }
            Thread.sleep(settings.quiet().toMillis());
            List<SimClient> clients = fleet.clients();
            List<SimClient.HeldState> before = clients.stream().map(SimClient::heldState).toList();

            Map<SimClient, Integer> index = new IdentityHashMap<>();
            for (int i = 0; i < clients.size(); i++) {
                index.put(clients.get(i), i);
            }
            Random random = new Random(settings.seed());
            // With Envoy's backoff a proxy retries from the moment its stream broke; all at once, its first attempt
            // is the harness's (below), and an attempt that fails after it (e.g. refused by the new-stream rate
            // limit) is retried with Envoy's backoff, as a real proxy would.
            Consumer<SimClient> onEnd = client -> {
                int attempts = client.reconnectAttempts();
                if (settings.mode() == ReconnectMode.ALL_AT_ONCE && attempts == 0) {
                    return;
                }
                int i = index.get(client);
                long delay = EnvoyBackoff.ENVOY_DEFAULT.delayMillis(attempts, random);
                retries.schedule(() -> fleet.reconnect(i), delay, TimeUnit.MILLISECONDS);
            };
            clients.forEach(c -> c.expectStreamEnd(onEnd));

            long killAt = clock.now();
            server.kill();
            log.printf("[%s] killed pid %d; starting it again%n", server.label(), server.pid());
            ServerProcess restarted = server.startAgain();
            server = restarted;
            long readyAt = clock.now();
            double cpuAtReady = restarted.cpuSeconds();
            log.printf("[%s] ready again after %.0f ms (pid %d); %s%n", restarted.label(), (readyAt - killAt) / 1e6,
                    restarted.pid(), settings.mode().cliName());
            long peakHeap;
            try (HeapSampler heap = new HeapSampler(restarted, 200)) {
                if (settings.mode() == ReconnectMode.ALL_AT_ONCE) {
                    awaitAllDisconnected(clients, clock, Duration.ofSeconds(10));
                    for (int i = 0; i < clients.size(); i++) {
                        fleet.reconnect(i);
                    }
                }
                awaitReconverged(clients, clock, readyAt + settings.convergeTimeout().toNanos());
                peakHeap = heap.peakBytes();
            }
            double cpuAtConverged = restarted.cpuSeconds();
            Thread.sleep(settings.quiet().toMillis()); // anything arriving now is a needless re-push

            List<Long> fromReady = new ArrayList<>();
            long last = 0;
            int identical = 0;
            long responsesAfter = 0;
            long changingAfter = 0;
            long attempts = 0;
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                SimClient client = clients.get(i);
                long at = client.reconvergedNanos();
                if (at != 0) {
                    fromReady.add(Math.max(0, at - readyAt));
                    last = Math.max(last, at);
                } else if (failures.size() < 5) {
                    failures.add("not back: " + client.describe());
                }
                if (client.heldState().equals(before.get(i))) {
                    identical++;
                } else if (failures.size() < 5) {
                    failures.add("holds something else after the restart: " + client.proxy().proxyId());
                }
                int[] after = client.responsesAfterReconverged();
                responsesAfter += after[0];
                changingAfter += after[1];
                attempts += client.reconnectAttempts();
                if (client.failure() != null && failures.size() < 5) {
                    failures.add(client.proxy().proxyId() + ": " + client.failure());
                }
            }
            boolean all = fromReady.size() == clients.size();
            long heapAfterGc = settings.measureHeap() ? restarted.heapAfterGcBytes() : -1;
            StormResult result = new StormResult(restarted.label(), settings.label(), settings.mode(),
                    mesh.snapshot().services().size(), clients.size(), settings.kind().cliName(),
                    (readyAt - killAt) / 1e6, fromReady.size(), all ? (last - readyAt) / 1e6 : Double.NaN,
                    all ? (last - killAt) / 1e6 : Double.NaN, Percentiles.ofNanos(fromReady), identical,
                    responsesAfter, changingAfter, attempts, cpuAtConverged, cpuAtConverged - cpuAtReady, peakHeap,
                    heapAfterGc, failures);
            log.println(result.describe());
            return result;
        } finally {
            retries.shutdownNow();
            server.close();
        }
    }

    private StormResult failed(Settings settings, MeshPods.Loaded mesh, ServerProcess server, int clients,
                               List<String> failures) {
        List<String> all = new ArrayList<>(List.of("cold start did not converge"));
        all.addAll(failures);
        return new StormResult(server.label(), settings.label(), settings.mode(), mesh.snapshot().services().size(),
                clients, settings.kind().cliName(), Double.NaN, 0, Double.NaN, Double.NaN, Percentiles.NONE, 0, 0, 0,
                0, Double.NaN, Double.NaN, -1, -1, all);
    }

    private static void awaitAllDisconnected(List<SimClient> clients, RunClock clock, Duration timeout)
            throws InterruptedException {
        long deadline = clock.now() + timeout.toNanos();
        while (clock.now() < deadline && !clients.stream().allMatch(SimClient::disconnected)) {
            Thread.sleep(10);
        }
    }

    private static void awaitReconverged(List<SimClient> clients, RunClock clock, long deadlineNanos)
            throws InterruptedException {
        while (clock.now() < deadlineNanos) {
            boolean done = true;
            for (SimClient client : clients) {
                if (client.reconvergedNanos() == 0) {
                    if (client.failure() != null) {
                        return;
                    }
                    done = false;
                    break;
                }
            }
            if (done) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
