package dev.meshpilot.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.e2e.ads.TypeUrls;
import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.EchoMesh;
import dev.meshpilot.e2e.harness.Manifests;
import dev.meshpilot.e2e.harness.MeshpilotServer;
import dev.meshpilot.e2e.harness.ProxyNode;
import dev.meshpilot.e2e.harness.RegistryDirectory;
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
    private static final String CONFIG_DUMP = "/debug/config_dump?proxyID=" + CLIENT.proxyName() + "&include_eds";
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
                List<Replica> replicas = List.of(new Replica(first, onFirst), new Replica(second, onSecond));

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

    /** One replica and the simulated proxy connected to it. */
    private record Replica(MeshpilotServer server, ReplicaProxy proxy) {

        /** Fails (so that the caller waits) until the replica knows the proxy's stream. */
        Served served() {
            proxy.drain();
            String configDump;
            try {
                configDump = server.debugGet(CONFIG_DUMP);
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
        await("both replicas serving " + CLIENT.proxyName() + " the same config with " + listener)
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
