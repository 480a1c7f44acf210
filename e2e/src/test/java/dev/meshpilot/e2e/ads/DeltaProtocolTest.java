package dev.meshpilot.e2e.ads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshpilot.e2e.harness.Backend;
import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.EchoMesh;
import dev.meshpilot.e2e.harness.MeshpilotServer;
import dev.meshpilot.e2e.harness.ProxyNode;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The incremental xDS protocol against the packaged server, with our own delta client (neither grpc-java nor
 * grpc-js-xds speaks delta). Mesh: {@code echo.ns-b:7070} with one real backend and {@code other.ns-b:8080};
 * the client runs as a proxyless gRPC proxy in {@code ns-a}, where no Sidecar limits what it sees.
 */
class DeltaProtocolTest {

    private static final Duration RESPONSE = Duration.ofSeconds(20);
    private static final String ECHO = EchoMesh.HOST_AND_PORT;
    private static final String OTHER = "other." + EchoMesh.SERVICE_NAMESPACE + ".svc.cluster.local:8080";
    private static final String THIRD = "third." + EchoMesh.SERVICE_NAMESPACE + ".svc.cluster.local:9090";
    private static final ProxyNode PROXY = new ProxyNode("delta-0", EchoMesh.CLIENT_NAMESPACE);

    private EchoMesh mesh;
    private Backend backend;
    private Path otherService;
    private Path echoService;
    private MeshpilotServer server;
    private final List<DeltaAdsStream> streams = new ArrayList<>();

    @BeforeEach
    void startMesh(TestInfo info) {
        mesh = EchoMesh.create(E2eSettings.fromSystemProperties(),
                "DeltaProtocolTest/" + info.getTestMethod().orElseThrow().getName());
        backend = mesh.startBackend("echo-1");
        mesh.addEndpoint(backend);
        echoService = mesh.registry().root().resolve(EchoMesh.SERVICE_NAMESPACE).resolve("service-echo.yaml");
        otherService = mesh.registry().service(EchoMesh.SERVICE_NAMESPACE, "other", "grpc", 8080);
        server = mesh.startServer();
    }

    @AfterEach
    void stopMesh() {
        streams.forEach(DeltaAdsStream::close);
        mesh.close();
    }

    @Test
    void namedListener_leadsThroughRouteAndCluster_toTheBackendEndpoint() {
        DeltaAdsStream stream = open();
        stream.subscribe(TypeUrls.LISTENER, ECHO);
        Resource listener = single(stream.next(TypeUrls.LISTENER, RESPONSE), ECHO);
        String routeName = XdsChain.routeConfigName(listener.getResource());

        stream.subscribe(TypeUrls.ROUTE, routeName);
        Resource route = single(stream.next(TypeUrls.ROUTE, RESPONSE), routeName);
        assertThat(XdsChain.virtualHostDomains(route.getResource())).contains(ECHO);
        Set<String> clusters = XdsChain.clusterNames(route.getResource());
        assertThat(clusters).as("clusters the route for %s sends to", ECHO).hasSize(1);
        String clusterName = clusters.iterator().next();

        stream.subscribe(TypeUrls.CLUSTER, clusterName);
        Resource cluster = single(stream.next(TypeUrls.CLUSTER, RESPONSE), clusterName);
        String edsName = XdsChain.edsServiceName(cluster.getResource());

        stream.subscribe(TypeUrls.ENDPOINT, edsName);
        Resource endpoints = single(stream.next(TypeUrls.ENDPOINT, RESPONSE), edsName);
        assertThat(XdsChain.endpointPorts(endpoints.getResource())).containsExactly(backend.port());
    }

    @Test
    void namedSubscription_sendsOnlyTheSubscribedListener_withAVersionAndNonce() {
        DeltaAdsStream stream = open();
        stream.subscribe(TypeUrls.LISTENER, ECHO);

        DeltaDiscoveryResponse response = stream.next(TypeUrls.LISTENER, RESPONSE);

        assertThat(names(response)).containsExactly(ECHO);
        assertThat(response.getResources(0).getVersion()).as("resource version").isNotEmpty();
        assertThat(response.getNonce()).as("nonce").isNotEmpty();
        assertThat(response.getRemovedResourcesList()).isEmpty();
    }

    @Test
    void explicitWildcardSubscription_sendsEveryListenerTheProxyMaySee() {
        DeltaAdsStream stream = open();
        stream.subscribe(TypeUrls.LISTENER, "*");

        assertThat(names(stream.next(TypeUrls.LISTENER, RESPONSE))).contains(ECHO, OTHER);
    }

    @Test
    void firstRequestWithoutNames_isTheLegacyWildcard_andSendsEveryListener() {
        DeltaAdsStream stream = open();
        stream.subscribe(TypeUrls.LISTENER);

        assertThat(names(stream.next(TypeUrls.LISTENER, RESPONSE))).contains(ECHO, OTHER);
    }

    @Test
    void deletedServiceFile_sendsItsListenerInRemovedResources() {
        DeltaAdsStream stream = open();
        stream.subscribe(TypeUrls.LISTENER, "*");
        DeltaDiscoveryResponse first = stream.next(TypeUrls.LISTENER, RESPONSE);
        assertThat(names(first)).contains(OTHER);
        stream.ack(first);

        mesh.registry().delete(otherService);

        List<DeltaDiscoveryResponse> seen = responsesUntilRemovalOf(stream, OTHER);
        DeltaDiscoveryResponse removal = seen.get(seen.size() - 1);
        assertThat(names(removal)).as("resources sent along with the removal").doesNotContain(OTHER);
    }

    @Test
    void newServiceFile_sendsOnlyTheNewListener_toAWildcardSubscriber() {
        DeltaAdsStream stream = open();
        stream.subscribe(TypeUrls.LISTENER, "*");
        stream.ack(stream.next(TypeUrls.LISTENER, RESPONSE));

        mesh.registry().service(EchoMesh.SERVICE_NAMESPACE, "third", "grpc", 9090);

        DeltaDiscoveryResponse update = stream.next(TypeUrls.LISTENER, RESPONSE);
        assertThat(names(update)).as("an incremental update carries what changed only").containsExactly(THIRD);
    }

    @Test
    void unsubscribedListener_isNeitherUpdatedNorRemovedAfterwards() {
        DeltaAdsStream stream = open();
        stream.subscribe(TypeUrls.LISTENER, ECHO, OTHER);
        DeltaDiscoveryResponse first = stream.next(TypeUrls.LISTENER, RESPONSE);
        assertThat(names(first)).containsExactlyInAnyOrder(ECHO, OTHER);
        stream.ack(first);

        stream.unsubscribe(TypeUrls.LISTENER, OTHER);
        mesh.registry().delete(otherService);
        mesh.registry().delete(echoService);

        List<DeltaDiscoveryResponse> seen = responsesUntilRemovalOf(stream, ECHO);
        for (DeltaDiscoveryResponse response : seen) {
            assertThat(names(response)).as("listeners sent after unsubscribing %s", OTHER).doesNotContain(OTHER);
            assertThat(response.getRemovedResourcesList()).as("removals sent after unsubscribing %s", OTHER)
                    .doesNotContain(OTHER);
        }
    }

    @Test
    void nack_isRecordedInSyncz_andNothingIsResentUntilTheConfigChanges() {
        DeltaAdsStream stream = open();
        stream.subscribe(TypeUrls.LISTENER, "*");
        DeltaDiscoveryResponse rejected = stream.next(TypeUrls.LISTENER, RESPONSE);
        String reason = "e2e rejects listener nonce " + rejected.getNonce() + " on purpose";

        stream.nack(rejected, reason);
        await("the NACK in /debug/syncz").atMost(RESPONSE)
                .untilAsserted(() -> assertThat(server.debugGet("/debug/syncz")).contains(reason));

        mesh.registry().service(EchoMesh.SERVICE_NAMESPACE, "third", "grpc", 9090);
        DeltaDiscoveryResponse afterChange = stream.next(TypeUrls.LISTENER, RESPONSE);
        assertThat(names(afterChange)).as("first listener response after the NACK (a resend of the rejected "
                + "config would not carry the new listener)").contains(THIRD);
        assertThat(afterChange.getNonce()).isNotEqualTo(rejected.getNonce());
        stream.ack(afterChange);
    }

    @Test
    void reconnectWithInitialResourceVersions_sendsOnlyWhatDiffers_andRemovesWhatIsGone() {
        DeltaAdsStream first = open();
        first.subscribe(TypeUrls.LISTENER, "*");
        DeltaDiscoveryResponse initial = first.next(TypeUrls.LISTENER, RESPONSE);
        first.ack(initial);
        Map<String, String> held = versions(initial);
        assertThat(held).containsKeys(ECHO, OTHER);
        first.close();

        String gone = "gone." + EchoMesh.SERVICE_NAMESPACE + ".svc.cluster.local:9999";
        Map<String, String> claimed = new LinkedHashMap<>(held);
        claimed.put(OTHER, "version-the-server-never-sent");
        claimed.put(gone, "v1");
        DeltaAdsStream second = open();
        second.resume(TypeUrls.LISTENER, claimed, "*");

        DeltaDiscoveryResponse resumed = second.next(TypeUrls.LISTENER, RESPONSE);
        assertThat(names(resumed)).as("listeners resent on reconnect").contains(OTHER).doesNotContain(ECHO);
        assertThat(versions(resumed).get(OTHER)).isEqualTo(held.get(OTHER));
        assertThat(resumed.getRemovedResourcesList()).as("removed on reconnect").containsExactly(gone);
    }

    private DeltaAdsStream open() {
        DeltaAdsStream stream = DeltaAdsStream.open(server.xdsPort(), TestNodes.proxyless(PROXY));
        streams.add(stream);
        return stream;
    }

    /** Listener responses (each acknowledged) up to and including the first that removes {@code name}. */
    private static List<DeltaDiscoveryResponse> responsesUntilRemovalOf(DeltaAdsStream stream, String name) {
        List<DeltaDiscoveryResponse> seen = new ArrayList<>();
        long deadline = System.nanoTime() + RESPONSE.toNanos();
        while (System.nanoTime() < deadline) {
            DeltaDiscoveryResponse response;
            try {
                response = stream.next(TypeUrls.LISTENER, Duration.ofNanos(deadline - System.nanoTime()));
            } catch (AssertionError noMore) {
                break;
            }
            stream.ack(response);
            seen.add(response);
            if (response.getRemovedResourcesList().contains(name)) {
                return seen;
            }
        }
        throw new AssertionError("no listener response removed " + name + " within " + RESPONSE + "; responses seen: "
                + seen.stream().map(r -> "resources " + names(r) + " removed " + r.getRemovedResourcesList()).toList());
    }

    private static Resource single(DeltaDiscoveryResponse response, String name) {
        assertThat(names(response)).as("%s response", response.getTypeUrl()).containsExactly(name);
        return response.getResources(0);
    }

    private static List<String> names(DeltaDiscoveryResponse response) {
        return response.getResourcesList().stream().map(Resource::getName).toList();
    }

    private static Map<String, String> versions(DeltaDiscoveryResponse response) {
        return response.getResourcesList().stream()
                .collect(Collectors.toMap(Resource::getName, Resource::getVersion, (a, b) -> b, LinkedHashMap::new));
    }
}
