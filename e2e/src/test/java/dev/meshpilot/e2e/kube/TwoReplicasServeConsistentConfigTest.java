package dev.meshpilot.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.e2e.ads.TypeUrls;
import dev.meshpilot.e2e.harness.AccessLogSender;
import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.EchoMesh;
import dev.meshpilot.e2e.harness.LearningMesh;
import dev.meshpilot.e2e.harness.Ledgerz;
import dev.meshpilot.e2e.harness.Manifests;
import dev.meshpilot.e2e.harness.MeshpilotServer;
import dev.meshpilot.e2e.harness.ProxyNode;
import dev.meshpilot.e2e.harness.RegistryDirectory;
import dev.meshpilot.e2e.harness.Scopez;
import dev.meshpilot.e2e.harness.WorkDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 6 item 4, last bullet: two meshpilot processes ({@code serve --kube --kubeconfig FILE}, each on its own
 * ports) against one Kubernetes API server serve the same proxy the same config, and both follow a change made
 * through the API to the same new config. Replicas share no state but the API server, so this is what makes
 * scaling out safe: a proxy that reconnects to the other replica finds the mesh it had.
 *
 * <p>The same proxy identity ({@code client-0.ns-a}, a simulated proxyless client subscribing to every listener
 * and cluster it may see and to their endpoints) connects to each replica. Both the Envoy config dumps the
 * replicas report for it and the resource names and versions the two clients received must be equal; versions
 * are content hashes, so equal versions mean equal resources.
 */
class TwoReplicasServeConsistentConfigTest {

    private static final Duration CONVERGENCE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final ProxyNode CLIENT = new ProxyNode("client-0", EchoMesh.CLIENT_NAMESPACE);
    private static final String GREETER_LISTENER = "greeter.ns-a.svc.cluster.local:8080";
    private static final String LEDGER_LISTENER = "ledger.ns-b.svc.cluster.local:9090";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoReplicasOfOneApiServer_serveTheSameProxyIdenticalConfig_andConvergeToTheSameConfigAfterEachChange() {
        E2eSettings settings = E2eSettings.fromSystemProperties();
        Path dir = WorkDirs.emptied(settings.workDir().resolve(getClass().getSimpleName()));

        try (ApiServerMock api = ApiServerMock.startWithIstioCrds()) {
            api.apply(EchoObjects.namespacesAndService());
            api.apply(EchoObjects.endpointSlice("echo-1", 17070));
            api.apply(service(EchoMesh.CLIENT_NAMESPACE, "greeter", 8080, 18080));
            api.apply(Manifests.sidecar(RegistryDirectory.ROOT_NAMESPACE, "default", List.of("./*", "istio-system/*")));
            Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));

            try (MeshpilotServer first = MeshpilotServer.startOnKube(settings, kubeconfig,
                    dir.resolve("meshpilot-1.log"));
                    MeshpilotServer second = MeshpilotServer.startOnKube(settings, kubeconfig,
                            dir.resolve("meshpilot-2.log"));
                    ReplicaProxy onFirst = ReplicaProxy.connect(first.xdsPort(), CLIENT);
                    ReplicaProxy onSecond = ReplicaProxy.connect(second.xdsPort(), CLIENT)) {
                List<Replica> replicas = List.of(new Replica(first, onFirst, CLIENT), new Replica(second, onSecond,
                        CLIENT));

                // Root default Sidecar: client-0.ns-a sees its own namespace (greeter), not ns-b.
                Served initial = awaitSameConfig(replicas, GREETER_LISTENER);
                assertThat(initial.listeners()).contains(GREETER_LISTENER)
                        .doesNotContain(EchoMesh.HOST_AND_PORT, LEDGER_LISTENER);

                // A Sidecar for ns-a importing ns-b/* changes the proxy's scope on both replicas.
                long sidecarCreated = System.nanoTime();
                api.apply(Manifests.sidecar(EchoMesh.CLIENT_NAMESPACE, "default",
                        List.of("./*", EchoMesh.SERVICE_NAMESPACE + "/*")));
                Served withNsB = awaitSameConfig(replicas, EchoMesh.HOST_AND_PORT);
                long sidecarConverged = System.nanoTime();
                assertThat(withNsB.listeners()).contains(GREETER_LISTENER, EchoMesh.HOST_AND_PORT)
                        .doesNotContain(LEDGER_LISTENER);
                assertThat(withNsB).isNotEqualTo(initial);

                // A new Service (with endpoints) in ns-b changes the registry both replicas watch.
                long serviceCreated = System.nanoTime();
                api.apply(service(EchoMesh.SERVICE_NAMESPACE, "ledger", 9090, 19090));
                Served withLedger = awaitSameConfig(replicas, LEDGER_LISTENER);
                long serviceConverged = System.nanoTime();
                assertThat(withLedger.listeners()).contains(GREETER_LISTENER, EchoMesh.HOST_AND_PORT,
                        LEDGER_LISTENER);
                assertThat(withLedger).isNotEqualTo(withNsB);

                System.out.printf("two replicas: Sidecar created -> both served the same new config after %d ms; "
                        + "Service created -> after %d ms (%d resources each)%n",
                        (sidecarConverged - sidecarCreated) / 1_000_000,
                        (serviceConverged - serviceCreated) / 1_000_000,
                        withLedger.versions().values().stream().mapToInt(Map::size).sum());
            }
        }
    }

    /**
     * Issue 11: two replicas serving learned scopes ({@code --scoping learned}, re-evaluated every second) converge
     * on one learned config although the evidence reaches one of them. The client workload's access log goes to
     * replica A only; A widens the workload at once and saves its ledger as {@code WorkloadDependencies}; replica B,
     * which learned nothing itself, reads the store again on its evidence-poll tick, merges A's evidence and widens
     * the same way — so B serves the proxy the config A serves (equal {@code /debug/scopez} learned scope, config
     * dump and resource versions) within the poll interval plus the re-evaluation interval (plus A's save
     * interval and a second of slack for this shared machine).
     *
     * <p>fabric8's API server mock answers server-side apply with 415, so both replicas write the ledger with
     * {@code --kube-write replace} (conditional create/replace).
     */
    @Test
    void twoReplicasServingLearnedScopes_convergeOnTheLearnedConfig_whenEvidenceReachesOnlyOne() {
        E2eSettings settings = E2eSettings.fromSystemProperties();
        Path dir = WorkDirs.emptied(settings.workDir().resolve(getClass().getSimpleName() + "-learned"));
        Duration poll = Duration.ofSeconds(1);
        Duration reevaluate = Duration.ofSeconds(1);
        Duration save = Duration.ofMillis(200);
        Duration bound = poll.plus(reevaluate).plus(save).plusSeconds(1);
        ProxyNode caller = LearningMesh.CALLER;
        String echoHost = LearningMesh.ECHO.substring(0, LearningMesh.ECHO.lastIndexOf(':'));
        String dbHost = LearningMesh.DB.substring(0, LearningMesh.DB.lastIndexOf(':'));

        try (ApiServerMock api = ApiServerMock.startWithIstioCrds()) {
            LedgerObjects.installCrd(api, settings);
            api.apply(LearningMesh.manifests());
            Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"));
            String[] learned = {"--scoping", "learned", "--learning-reevaluate-interval", reevaluate.toMillis() + "ms",
                "--evidence-poll-interval", poll.toMillis() + "ms", "--kube-write", "replace"};

            try (MeshpilotServer replicaA = MeshpilotServer.startOnKube(settings, kubeconfig,
                    dir.resolve("meshpilot-a.log"), LearningMesh.serveArgs("e2e-a", learned));
                    MeshpilotServer replicaB = MeshpilotServer.startOnKube(settings, kubeconfig,
                            dir.resolve("meshpilot-b.log"), LearningMesh.serveArgs("e2e-b", learned));
                    ReplicaProxy onA = ReplicaProxy.connect(replicaA.xdsPort(), caller);
                    ReplicaProxy onB = ReplicaProxy.connect(replicaB.xdsPort(), caller)) {
                List<Replica> replicas = List.of(new Replica(replicaA, onA, caller), new Replica(replicaB, onB,
                        caller));

                // No evidence yet: both narrow the caller to nothing.
                for (Replica replica : replicas) {
                    awaitLearnedScope(replica.server(), caller, Set.of(), CONVERGENCE);
                }

                long sent = System.nanoTime();
                AccessLogSender.send(replicaA.xdsPort(), caller, LearningMesh.ECHO_CLUSTER, 3, 0);
                awaitLearnedScope(replicaA, caller, Set.of(echoHost), CONVERGENCE);
                long aWidened = System.nanoTime();
                awaitLearnedScope(replicaB, caller, Set.of(echoHost), bound);
                long bWidened = System.nanoTime();

                Served served = awaitSameConfig(replicas, LearningMesh.ECHO);
                assertThat(served.listeners()).contains(LearningMesh.ECHO).doesNotContain(LearningMesh.DB);
                JsonNode onReplicaA = Scopez.learning(replicaA, caller);
                JsonNode onReplicaB = Scopez.learning(replicaB, caller);
                assertThat(Scopez.fallbackServices(onReplicaB)).contains(dbHost)
                        .isEqualTo(Scopez.fallbackServices(onReplicaA));
                assertThat(onReplicaB.path("learnedHosts")).isEqualTo(onReplicaA.path("learnedHosts"));
                assertThat(Ledgerz.read(replicaB).get(LearningMesh.CALLER_WORKLOAD)).as("replica B's ledger")
                        .containsOnlyKeys(LearningMesh.ECHO);

                System.out.printf("two replicas, learned scopes: evidence sent to A -> A served it after %d ms, "
                        + "B (evidence-poll %d ms, re-evaluation %d ms) after %d ms%n",
                        (aWidened - sent) / 1_000_000, poll.toMillis(), reevaluate.toMillis(),
                        (bWidened - sent) / 1_000_000);
            }
        }
    }

    /** Waits until {@code server} serves {@code proxy} a learned scope of exactly {@code hosts}. */
    private static void awaitLearnedScope(MeshpilotServer server, ProxyNode proxy, Set<String> hosts,
            Duration within) {
        await(server.log().getFileName() + " serving " + proxy.proxyName() + " the learned scope " + hosts)
                .atMost(within).pollInterval(POLL).untilAsserted(() -> {
                    JsonNode learning = Scopez.learning(server, proxy);
                    assertThat(learning.path("served").asText()).as("served, in %s", learning).isEqualTo("learned");
                    assertThat(Scopez.servedServices(learning)).as("served services, in %s", learning)
                            .isEqualTo(hosts);
                });
    }

    /** One replica and the simulated proxy connected to it as {@code node}. */
    private record Replica(MeshpilotServer server, ReplicaProxy proxy, ProxyNode node) {

        /** Fails (so that the caller waits) until the replica knows the proxy's stream. */
        Served served() {
            proxy.drain();
            String configDump;
            try {
                configDump = server.debugGet("/debug/config_dump?proxyID=" + node.proxyName() + "&include_eds");
            } catch (IllegalStateException notConnectedYet) {
                throw new AssertionError(notConnectedYet.getMessage(), notConnectedYet);
            }
            return new Served(proxy.heldVersions(), proxy.missing(), canonical(configDump));
        }
    }

    /** What a replica served the proxy: as the proxy holds it, and as the replica's config dump reports it. */
    private record Served(Map<String, Map<String, String>> versions, Set<String> missing, JsonNode configDump) {

        TreeSet<String> listeners() {
            return new TreeSet<>(versions.getOrDefault(TypeUrls.LISTENER, Map.of()).keySet());
        }
    }

    /**
     * Waits until the first proxy holds {@code listener} and every route and endpoint its resources refer to, and both replicas' config dumps and both
     * proxies' resource versions are equal; returns that common config.
     */
    private static Served awaitSameConfig(List<Replica> replicas, String listener) {
        List<Served> last = new ArrayList<>();
        await("both replicas serving " + replicas.get(0).node().proxyName() + " the same config with " + listener)
                .atMost(CONVERGENCE).pollInterval(POLL).untilAsserted(() -> {
                    last.clear();
                    for (Replica replica : replicas) {
                        last.add(replica.served());
                    }
                    Served first = last.get(0);
                    Served second = last.get(1);
                    assertThat(first.listeners()).as("listeners of the first replica's proxy").contains(listener);
                    assertThat(first.configDump().toString()).as("config dump of the first replica")
                            .contains("\"" + listener + "\"");
                    assertThat(first.missing()).as("routes and endpoints the first replica's proxy still waits for")
                            .isEmpty();
                    assertThat(second.versions()).as("resource names and versions received from each replica")
                            .isEqualTo(first.versions());
                    assertThat(second.configDump()).as("config dumps of the two replicas")
                            .isEqualTo(first.configDump());
                });
        return last.get(0);
    }

    /**
     * A config dump with each section's resources in name order: the replicas may keep the resources they sent in
     * different orders; which resources, with which content and versions, must be the same.
     */
    static JsonNode canonical(String configDump) {
        try {
            JsonNode dump = JSON.readTree(configDump);
            for (JsonNode section : dump.path("configs")) {
                Iterator<Map.Entry<String, JsonNode>> fields = section.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (field.getValue().isArray()) {
                        List<JsonNode> items = new ArrayList<>();
                        field.getValue().forEach(items::add);
                        items.sort(Comparator.comparing(JsonNode::toString));
                        var sorted = JSON.createArrayNode();
                        items.forEach(sorted::add);
                        field.setValue(sorted);
                    }
                }
            }
            return dump;
        } catch (JsonProcessingException e) {
            throw new AssertionError("config dump is not JSON: " + configDump, e);
        }
    }

    /** A Service with one gRPC port and an EndpointSlice with one ready endpoint on 127.0.0.1. */
    private static String service(String namespace, String name, int port, int backendPort) {
        return Manifests.documents(Manifests.service(namespace, name, "grpc", port),
                Manifests.endpointSlice(namespace, name, name + "-1", "grpc", backendPort));
    }
}
