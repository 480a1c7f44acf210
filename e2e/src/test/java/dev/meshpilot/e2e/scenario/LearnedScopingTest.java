package dev.meshpilot.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshpilot.e2e.ads.TypeUrls;
import dev.meshpilot.e2e.harness.CallResult;
import dev.meshpilot.e2e.harness.Calls;
import dev.meshpilot.e2e.harness.ClientKind;
import dev.meshpilot.e2e.harness.EchoMesh;
import dev.meshpilot.e2e.harness.Ledgerz;
import dev.meshpilot.e2e.harness.MeshpilotServer;
import dev.meshpilot.e2e.harness.ProxyNode;
import dev.meshpilot.e2e.harness.Scopez;
import dev.meshpilot.e2e.harness.XdsClientProcess;
import dev.meshpilot.e2e.kube.ReplicaProxy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 11, the seed scenario with no hand-written Sidecar: the server runs {@code --scoping learned} with a state
 * directory and re-evaluates every second, so the client's proxy is narrowed to what it has called — at first
 * nothing. The client then calls three services it never called: each first call must succeed, because a
 * proxyless client asking for listener {@code FQDN:PORT} of a service in its upper bound is
 * {@code GRPC_SUBSCRIPTION} evidence, widens its workload on the fast path, and the server holds its answer until
 * then. Afterwards the proxy is served exactly those three services and not the two it never called; a restart
 * on the same state directory keeps that, and calls keep succeeding.
 */
class LearnedScopingTest {

    private static final ProxyNode CLIENT = new ProxyNode("client-7d4f9c-x2x8q", EchoMesh.CLIENT_NAMESPACE);
    private static final String WORKLOAD = EchoMesh.CLIENT_NAMESPACE + "/client";
    private static final List<String> CALLED = List.of("alpha", "bravo", "charlie");
    /** Also never called: {@code echo}, the service every EchoMesh has. */
    private static final String NEVER_CALLED = "delta";
    private static final int PORT = 7070;

    @ParameterizedTest
    @EnumSource(ClientKind.class)
    void firstCallsToNeverCalledServices_succeed_andTheProxyIsServedExactlyThose_acrossARestart(ClientKind kind,
            TestInfo info) {
        try (EchoMesh mesh = ScenarioSupport.mesh(info, kind)) {
            Map<String, String> targets = new LinkedHashMap<>();
            for (String name : CALLED) {
                targets.put(name, mesh.addService(name, PORT, mesh.startBackend(name + "-1")));
            }
            String delta = mesh.addService(NEVER_CALLED, PORT, mesh.startBackend(NEVER_CALLED + "-1"));
            mesh.registry().deploymentPod(CLIENT.namespace(), "client", "7d4f9c", CLIENT.pod());
            MeshpilotServer server = mesh.startServer("--xds-address", "127.0.0.1", "--scoping", "learned",
                    "--state-dir", mesh.dir().resolve("state").toString(), "--learning-reevaluate-interval", "1s",
                    "--access-log-flush-interval", "100ms", "--ledger-save-interval", "200ms");
            Set<String> calledHosts = targets.values().stream().map(LearnedScopingTest::host)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> neverCalledHosts = Set.of(host(delta), host(EchoMesh.HOST_AND_PORT));

            // Narrowed to what it called: nothing yet; everything else is a fallback.
            awaitServed(server, "narrowed to nothing", Set.of());
            assertThat(Scopez.fallbackServices(Scopez.learning(server, CLIENT)))
                    .containsAll(calledHosts).containsAll(neverCalledHosts);

            XdsClientProcess client = mesh.startClient(kind, CLIENT.pod(), CLIENT.namespace());
            Map<String, Long> firstCallMillis = new LinkedHashMap<>();
            for (Map.Entry<String, String> target : targets.entrySet()) {
                long start = System.nanoTime();
                CallResult first = client.call(target.getValue());
                firstCallMillis.put(target.getKey(), (System.nanoTime() - start) / 1_000_000);
                assertThat(first).as("first call of %s to %s, never called before", kind, target.getValue())
                        .isEqualTo(new CallResult(true, target.getKey() + "-1", "OK", ""));
            }
            System.out.printf("learned scoping, %s: first call to a never-called service took %s ms%n",
                    kind.label(), firstCallMillis);

            JsonNode widened = awaitServed(server, "widened to the three called services", calledHosts);
            assertThat(Scopez.fallbackServices(widened)).containsAll(neverCalledHosts);
            assertThat(Ledgerz.read(server).get(WORKLOAD)).as("ledger of %s", WORKLOAD)
                    .containsOnlyKeys(targets.values())
                    .allSatisfy((destination, d) -> assertThat(d.path("sources").toString())
                            .contains("grpc-subscription"));
            // grpc-java opens one ADS stream per channel target (grpc-js-xds one per process); config_dump shows
            // one stream of the proxy, so it must hold none of the others. What the proxy is served in all is
            // what a wildcard subscriber with its identity receives: exactly the three listeners.
            assertThat(server.debugGet("/debug/config_dump?proxyID=" + CLIENT.proxyName()))
                    .doesNotContain(host(delta), host(EchoMesh.HOST_AND_PORT));
            awaitWildcardListeners(server, Set.copyOf(targets.values()));

            server.restart();

            await("the restarted server listing " + CLIENT.proxyName() + " in /debug/syncz")
                    .atMost(Calls.CONVERGENCE)
                    .untilAsserted(() -> assertThat(server.debugGet("/debug/syncz")).contains(CLIENT.proxyName()));
            awaitServed(server, "the same three services after the restart", calledHosts);
            for (Map.Entry<String, String> target : targets.entrySet()) {
                assertThat(Calls.calls(client, target.getValue(), 3)).as("calls after the restart")
                        .allSatisfy(r -> assertThat(r.ok() && r.backend().equals(target.getKey() + "-1"))
                                .as(r.toString()).isTrue());
            }
            awaitWildcardListeners(server, Set.copyOf(targets.values()));
            JsonNode afterRestart = Scopez.learning(server, CLIENT);
            assertThat(Scopez.servedServices(afterRestart)).isEqualTo(calledHosts);
            assertThat(Scopez.fallbackServices(afterRestart)).containsAll(neverCalledHosts);
        }
    }

    /** Waits until the client's proxy is served a learned scope of exactly {@code hosts}; returns scopez' part. */
    private static JsonNode awaitServed(MeshpilotServer server, String what, Set<String> hosts) {
        JsonNode[] last = new JsonNode[1];
        await(CLIENT.proxyName() + " " + what).atMost(Calls.CONVERGENCE).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    last[0] = Scopez.learning(server, CLIENT);
                    assertThat(last[0].path("served").asText()).as("served, in %s", last[0]).isEqualTo("learned");
                    assertThat(Scopez.servedServices(last[0])).as("served services, in %s", last[0])
                            .isEqualTo(hosts);
                });
        return last[0];
    }

    /**
     * Waits until a wildcard subscriber identified as the client's proxy (a simulated proxyless client asking for
     * every listener and cluster it may see) holds exactly {@code listeners}, with nothing it still waits for.
     */
    private static void awaitWildcardListeners(MeshpilotServer server, Set<String> listeners) {
        try (ReplicaProxy observer = ReplicaProxy.connect(server.xdsPort(), CLIENT)) {
            await("a wildcard subscriber as " + CLIENT.proxyName() + " holding exactly " + listeners)
                    .atMost(Calls.CONVERGENCE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                        observer.drain();
                        assertThat(observer.heldVersions().getOrDefault(TypeUrls.LISTENER, Map.of()).keySet())
                                .as("listeners").isEqualTo(listeners);
                        assertThat(observer.missing()).as("routes and endpoints not yet received").isEmpty();
                    });
        }
    }

    private static String host(String hostAndPort) {
        return hostAndPort.substring(0, hostAndPort.lastIndexOf(':'));
    }
}
