package dev.meshpilot.e2e.measure;

import static org.awaitility.Awaitility.await;

import dev.meshpilot.e2e.ads.SotwProxylessClient;
import dev.meshpilot.e2e.ads.TestNodes;
import dev.meshpilot.e2e.harness.EchoMesh;
import dev.meshpilot.e2e.harness.MeshpilotServer;
import dev.meshpilot.e2e.harness.ProxyNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Time from a registry file change to every connected client ACKing the resulting endpoint update. Simulated
 * proxyless clients ({@link SotwProxylessClient}) each hold one SotW ADS stream to the packaged server and watch
 * {@code echo.ns-b:7070}; each round adds or deletes an EndpointSlice file, and each client's latency is the
 * time from just before the file appeared (or vanished) to the moment it sent the ACK of the first endpoint
 * update showing the change.
 */
final class PushLatencyRun {

    record Plan(int clients, int rounds, Optional<Path> background, Duration roundTimeout) {
    }

    record Round(String change, Percentiles latency) {
    }

    record Report(Plan plan, Duration connectAndConverge, List<Round> rounds, Percentiles allRounds) {
        String text() {
            StringBuilder out = new StringBuilder();
            out.append(String.format("push latency: %d simulated SotW clients, %d rounds, background mesh: %s%n",
                    plan.clients(), plan.rounds(), plan.background().map(Path::toString).orElse("none")));
            out.append(String.format("connect + initial config to every client: %.1f ms%n",
                    connectAndConverge.toNanos() / 1e6));
            for (int i = 0; i < rounds.size(); i++) {
                out.append(String.format("round %2d %-28s %s%n", i + 1, rounds.get(i).change(),
                        rounds.get(i).latency().describe()));
            }
            out.append("all rounds: ").append(allRounds.describe()).append('\n');
            return out.toString();
        }
    }

    private static final int FIRST_MEASURE_PORT = 31000;

    private PushLatencyRun() {
    }

    static Report run(EchoMesh mesh, Plan plan) {
        plan.background().ifPresent(source -> copyManifests(source, mesh.registry().root().resolve("background")));
        int echoPort = mesh.startBackend("echo-1").port();
        mesh.registry().endpointSlice(EchoMesh.SERVICE_NAMESPACE, EchoMesh.SERVICE, "echo-1", EchoMesh.PORT_NAME,
                echoPort);
        MeshpilotServer server = mesh.startServer();

        List<SotwProxylessClient> clients = new ArrayList<>();
        try {
            long connectStart = System.nanoTime();
            for (int i = 0; i < plan.clients(); i++) {
                ProxyNode proxy = new ProxyNode("sim-" + i, EchoMesh.CLIENT_NAMESPACE);
                clients.add(SotwProxylessClient.connect(server.xdsPort(), TestNodes.proxyless(proxy),
                        EchoMesh.HOST_AND_PORT));
            }
            awaitEveryClient(clients, connectStart, ports -> ports.contains(echoPort),
                    plan.roundTimeout().multipliedBy(2), "initial config");
            Duration connectAndConverge = Duration.ofNanos(latestAck(clients, connectStart,
                    ports -> ports.contains(echoPort)) - connectStart);

            List<Round> rounds = new ArrayList<>();
            List<Long> everyLatency = new ArrayList<>();
            Path slice = null;
            for (int round = 1; round <= plan.rounds(); round++) {
                int measurePort = FIRST_MEASURE_PORT + round;
                Predicate<List<Integer>> changed;
                String change;
                long start = System.nanoTime();
                if (slice == null) {
                    slice = mesh.registry().endpointSlice(EchoMesh.SERVICE_NAMESPACE, EchoMesh.SERVICE,
                            "measure-" + round, EchoMesh.PORT_NAME, measurePort);
                    changed = ports -> ports.contains(measurePort);
                    change = "add EndpointSlice file";
                } else {
                    int removedPort = measurePort - 1;
                    mesh.registry().delete(slice);
                    slice = null;
                    changed = ports -> !ports.contains(removedPort) && ports.contains(echoPort);
                    change = "delete EndpointSlice file";
                }
                List<Long> latencies = awaitEveryClient(clients, start, changed, plan.roundTimeout(),
                        "round " + round + " (" + change + ")");
                rounds.add(new Round(change, Percentiles.of(latencies)));
                everyLatency.addAll(latencies);
            }
            return new Report(plan, connectAndConverge, rounds, Percentiles.of(everyLatency));
        } finally {
            clients.forEach(SotwProxylessClient::close);
        }
    }

    /** Waits until every client ACKed an endpoint update since {@code startNanos} that passes {@code wanted}. */
    private static List<Long> awaitEveryClient(List<SotwProxylessClient> clients, long startNanos,
            Predicate<List<Integer>> wanted, Duration timeout, String what) {
        await(what + " ACKed by all " + clients.size() + " clients")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    for (SotwProxylessClient client : clients) {
                        client.failure().ifPresent(f -> {
                            throw new AssertionError(client.nodeId() + " failed: " + f, f);
                        });
                    }
                    return waiting(clients, startNanos, wanted) == 0;
                });
        List<Long> latencies = new ArrayList<>(clients.size());
        for (SotwProxylessClient client : clients) {
            latencies.add(client.firstEndpointAckSince(startNanos, wanted).orElseThrow().ackNanos() - startNanos);
        }
        return latencies;
    }

    private static long waiting(List<SotwProxylessClient> clients, long startNanos, Predicate<List<Integer>> wanted) {
        return clients.stream().filter(c -> c.firstEndpointAckSince(startNanos, wanted).isEmpty()).count();
    }

    private static long latestAck(List<SotwProxylessClient> clients, long startNanos, Predicate<List<Integer>> wanted) {
        return clients.stream()
                .mapToLong(c -> c.firstEndpointAckSince(startNanos, wanted).orElseThrow().ackNanos())
                .max().orElse(startNanos);
    }

    private static void copyManifests(Path source, Path target) {
        try (Stream<Path> files = Files.walk(source)) {
            Files.createDirectories(target);
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList()) {
                Files.copy(file, target.resolve(source.relativize(file).toString().replace('/', '-')));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy background manifests from " + source, e);
        }
    }
}
