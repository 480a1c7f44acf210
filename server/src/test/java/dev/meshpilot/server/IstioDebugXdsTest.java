package dev.meshpilot.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshpilot.server.push.PushSettings;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.status.v3.ClientConfig;
import io.envoyproxy.envoy.service.status.v3.ConfigStatus;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Istio's debug xDS types ({@code istio.io/debug/syncz}, {@code istio.io/debug/config_dump}) served over ADS by a
 * real server on bookinfo, asked by a client that speaks as istioctl does ({@link IstioctlLikeClient}; istioctl
 * itself cannot be installed here). Two proxies are connected: an Envoy-like client that acknowledges everything,
 * and a hand-driven stream that leaves CDS unacknowledged and rejects LDS.
 */
class IstioDebugXdsTest {
    private static final String SYNCZ = "istio.io/debug/syncz";
    private static final String CONFIG_DUMP = "istio.io/debug/config_dump";
    private static final String CDS = EnvoyLikeClient.CDS;
    private static final String EDS = EnvoyLikeClient.EDS;
    private static final String LDS = EnvoyLikeClient.LDS;

    @TempDir
    static Path dir;
    private static MeshpilotServer server;
    private static EnvoyLikeClient synced;
    private static ManagedChannel laggingChannel;
    private static StreamObserver<DiscoveryRequest> lagging;
    private static final BlockingQueue<DiscoveryResponse> laggingReceived = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Path bookinfo = Path.of(System.getProperty("meshpilot.repo.root", "..")).resolve("examples/bookinfo");
        try (Stream<Path> files = Files.list(bookinfo)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        server = MeshpilotServer.start(new ServerOptions(dir, "127.0.0.1", 0, "127.0.0.1", 0, "istio-system",
                new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)), 4));
        synced = new EnvoyLikeClient(server.xdsPort(), "productpage-v1-0.default");
        synced.awaitInitialConfig();

        laggingChannel = NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort()).usePlaintext().build();
        lagging = AggregatedDiscoveryServiceGrpc.newStub(laggingChannel).streamAggregatedResources(collect(laggingReceived));
        lagging.onNext(DiscoveryRequest.newBuilder().setTypeUrl(CDS).setNode(Node.newBuilder()
                .setId("sidecar~10.1.1.2~reviews-v1-0.default~default.svc.cluster.local")).build());
        assertThat(poll(laggingReceived).getTypeUrl()).isEqualTo(CDS); // never acknowledged
        lagging.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS).build());
        DiscoveryResponse lds = poll(laggingReceived);
        assertThat(lds.getTypeUrl()).isEqualTo(LDS);
        lagging.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS).setResponseNonce(lds.getNonce())
                .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage("listener rejected"))
                .build());
        await().atMost(Duration.ofSeconds(15)).until(() -> server.connections().size() == 2);
    }

    @AfterAll
    static void stop() {
        synced.close();
        lagging.onCompleted();
        laggingChannel.shutdownNow();
        server.close();
    }

    @Test
    void syncz_answersOneClientConfigPerConnectedProxy_namedAndDescribedAsIstiodDoes() {
        try (IstioctlLikeClient istioctl = new IstioctlLikeClient("127.0.0.1", server.xdsPort())) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                Map<String, ClientConfig> configs = clientConfigs(istioctl.ask(SYNCZ, List.of()));
                assertThat(configs).containsOnlyKeys("productpage-v1-0.default", "reviews-v1-0.default");
                ClientConfig productpage = configs.get("productpage-v1-0.default");
                assertThat(productpage.getNode().getMetadata().getFieldsMap())
                        .containsOnlyKeys("CLUSTER_ID", "NAMESPACE");
                assertThat(productpage.getNode().getMetadata().getFieldsOrThrow("CLUSTER_ID").getStringValue())
                        .isEqualTo("Kubernetes");
                assertThat(productpage.getNode().getMetadata().getFieldsOrThrow("NAMESPACE").getStringValue())
                        .isEqualTo("default");
                Map<String, ClientConfig.GenericXdsConfig> types = byType(productpage);
                assertThat(types.keySet()).containsExactly(CDS, EDS, LDS); // sorted by type URL, as istiod sorts
                assertThat(types.values()).allSatisfy(t -> {
                    assertThat(t.getConfigStatus()).isEqualTo(ConfigStatus.SYNCED);
                    assertThat(t.hasLastUpdated()).isTrue();
                    assertThat(t.getVersionInfo()).isNotEmpty();
                    assertThat(t.hasErrorState()).isFalse();
                });
            });
        }
    }

    @Test
    void syncz_showsStaleForAnUnacknowledgedType_andErrorWithTheClientsMessageForARejectedOne() {
        try (IstioctlLikeClient istioctl = new IstioctlLikeClient("127.0.0.1", server.xdsPort())) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                Map<String, ClientConfig.GenericXdsConfig> types =
                        byType(clientConfigs(istioctl.ask(SYNCZ, List.of())).get("reviews-v1-0.default"));
                assertThat(types.get(CDS).getConfigStatus()).isEqualTo(ConfigStatus.STALE);
                assertThat(types.get(LDS).getConfigStatus()).isEqualTo(ConfigStatus.ERROR);
                assertThat(types.get(LDS).getErrorState().getDetails()).isEqualTo("listener rejected");
                assertThat(types.get(LDS).getErrorState().hasLastUpdateAttempt()).isTrue();
            });
        }
    }

    @Test
    void syncz_carriesTheControlPlaneIdentifierIstioctlReadsForItsIstiodColumn() throws IOException {
        try (IstioctlLikeClient istioctl = new IstioctlLikeClient("127.0.0.1", server.xdsPort())) {
            DiscoveryResponse r = istioctl.ask(SYNCZ, List.of());
            JsonNode id = new ObjectMapper().readTree(r.getControlPlane().getIdentifier());
            assertThat(id.path("Component").asText()).isEqualTo("meshpilot");
            assertThat(id.path("ID").asText()).startsWith("meshpilot");
            assertThat(id.path("Info").path("version").asText()).isNotEmpty();
            assertThat(r.getVersionInfo()).isEqualTo(Long.toString(server.pipeline().state().version()));
        }
    }

    @Test
    void debugStream_isNeverAttachedAsAProxy_norListedInSyncz() {
        try (IstioctlLikeClient istioctl = new IstioctlLikeClient("127.0.0.1", server.xdsPort())) {
            Map<String, ClientConfig> configs = clientConfigs(istioctl.ask(SYNCZ, List.of()));
            assertThat(configs.keySet()).noneMatch(id -> id.contains("test-1"));
            assertThat(server.connections().size()).isEqualTo(2);
            assertThat(server.connections().byProxyId("test-1." + IstioctlLikeClient.NAMESPACE)).isEmpty();
        }
    }

    @Test
    void ackOfADebugAnswer_isNotAnsweredAgain_butEveryNewRequestIs() {
        try (IstioctlLikeClient istioctl = new IstioctlLikeClient("127.0.0.1", server.xdsPort())) {
            DiscoveryResponse first = istioctl.ask(SYNCZ, List.of());
            istioctl.send(SYNCZ, List.of(), first.getNonce()); // an ACK of that answer
            istioctl.send(CONFIG_DUMP, List.of("productpage-v1-0.default"));
            assertThat(istioctl.next().getTypeUrl()).as("the ACK got no answer").isEqualTo(CONFIG_DUMP);
            DiscoveryResponse again = istioctl.ask(SYNCZ, List.of());
            assertThat(again.getNonce()).isNotEqualTo(first.getNonce());
        }
    }

    @Test
    void configDump_ofAConnectedProxy_holdsTheClustersAndListenersItWasSent() throws Exception {
        try (IstioctlLikeClient istioctl = new IstioctlLikeClient("127.0.0.1", server.xdsPort())) {
            DiscoveryResponse dump = istioctl.ask(CONFIG_DUMP, List.of("productpage-v1-0.default"));
            Map<String, Any> sections = dump.getResourcesList().stream()
                    .collect(Collectors.toMap(Any::getTypeUrl, Function.identity()));
            assertThat(sections).containsKeys("type.googleapis.com/envoy.admin.v3.BootstrapConfigDump",
                    "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
                    "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
                    "type.googleapis.com/envoy.admin.v3.RoutesConfigDump");
            ClustersConfigDump clusters = sections.get("type.googleapis.com/envoy.admin.v3.ClustersConfigDump")
                    .unpack(ClustersConfigDump.class);
            var sent = server.connections().byProxyId("productpage-v1-0.default").orElseThrow().status();
            assertThat(clusters.getDynamicActiveClustersList()).hasSize(sent.sent().ofType(CDS).size())
                    .isNotEmpty();
            assertThat(clusters.getDynamicActiveClusters(0).getCluster().getTypeUrl())
                    .isEqualTo("type.googleapis.com/envoy.config.cluster.v3.Cluster");
            ListenersConfigDump listeners = sections.get("type.googleapis.com/envoy.admin.v3.ListenersConfigDump")
                    .unpack(ListenersConfigDump.class);
            assertThat(listeners.getDynamicListenersList()).extracting(l -> l.getName())
                    .contains("virtualOutbound", "virtualInbound");
        }
    }

    @Test
    void configDump_ofAProxyNotConnectedHere_orWithoutExactlyOneName_hasNoResources() {
        try (IstioctlLikeClient istioctl = new IstioctlLikeClient("127.0.0.1", server.xdsPort())) {
            assertThat(istioctl.ask(CONFIG_DUMP, List.of("nobody.default")).getResourcesList()).isEmpty();
            assertThat(istioctl.ask(CONFIG_DUMP, List.of()).getResourcesList()).isEmpty();
            assertThat(istioctl.ask(CONFIG_DUMP, List.of("productpage-v1-0.default", "reviews-v1-0.default"))
                    .getResourcesList()).isEmpty();
        }
    }

    @Test
    void genericDebugType_answersTheDebugEndpointsBody_asIstiodsDebugGenDoes() throws IOException {
        try (IstioctlLikeClient istioctl = new IstioctlLikeClient("127.0.0.1", server.xdsPort())) {
            DiscoveryResponse r = istioctl.ask("istio.io/debug", List.of("adsz?proxyID=productpage-v1-0.default"));
            assertThat(r.getResourcesList()).singleElement().satisfies(any -> {
                assertThat(any.getTypeUrl()).isEqualTo("istio.io/debug");
                JsonNode adsz = new ObjectMapper().readTree(any.getValue().toStringUtf8());
                assertThat(adsz.toString()).contains("productpage-v1-0.default").doesNotContain("reviews-v1-0");
            });
            assertThat(istioctl.ask("istio.io/debug", List.of("nope")).getResources(0).getValue().toStringUtf8())
                    .isEqualTo("no such endpoint: /debug/nope");
            assertThat(istioctl.ask("istio.io/debug", List.of()).getResourcesList()).isEmpty();
        }
    }

    @Test
    void otherTypeBelowIstioDebug_isAnsweredWithoutResources_andTheStreamCarriesOn() {
        try (IstioctlLikeClient istioctl = new IstioctlLikeClient("127.0.0.1", server.xdsPort())) {
            assertThat(istioctl.ask("istio.io/debug/ndsz", List.of()).getResourcesList()).isEmpty();
            assertThat(istioctl.ask(SYNCZ, List.of()).getResourcesList()).hasSize(2);
        }
    }

    @Test
    void syncz_overDelta_namesEachClientConfigByProxy() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort()).usePlaintext().build();
        try {
            BlockingQueue<DeltaDiscoveryResponse> received = new LinkedBlockingQueue<>();
            StreamObserver<DeltaDiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                    .deltaAggregatedResources(collect(received));
            requests.onNext(DeltaDiscoveryRequest.newBuilder().setNode(IstioctlLikeClient.istioctlNode())
                    .setTypeUrl(SYNCZ).build());
            DeltaDiscoveryResponse r = poll(received);
            assertThat(r.getTypeUrl()).isEqualTo(SYNCZ);
            assertThat(r.getResourcesList()).extracting(res -> res.getName())
                    .containsExactly("productpage-v1-0.default", "reviews-v1-0.default");
            assertThat(r.getResources(0).getResource().unpack(ClientConfig.class).getNode().getId())
                    .isEqualTo("productpage-v1-0.default");
            requests.onCompleted();
        } finally {
            channel.shutdownNow();
        }
    }

    private static Map<String, ClientConfig> clientConfigs(DiscoveryResponse r) {
        assertThat(r.getResourcesList()).allSatisfy(a ->
                assertThat(a.getTypeUrl()).isEqualTo("type.googleapis.com/envoy.service.status.v3.ClientConfig"));
        return r.getResourcesList().stream().map(IstioDebugXdsTest::clientConfig)
                .collect(Collectors.toMap(c -> c.getNode().getId(), Function.identity()));
    }

    private static ClientConfig clientConfig(Any any) {
        try {
            return any.unpack(ClientConfig.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, ClientConfig.GenericXdsConfig> byType(ClientConfig c) {
        Map<String, ClientConfig.GenericXdsConfig> out = new java.util.LinkedHashMap<>();
        c.getGenericXdsConfigsList().forEach(t -> out.put(t.getTypeUrl(), t));
        return out;
    }

    private static <T> StreamObserver<T> collect(BlockingQueue<T> into) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                into.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private static <T> T poll(BlockingQueue<T> queue) throws InterruptedException {
        T r = queue.poll(15, TimeUnit.SECONDS);
        assertThat(r).as("a response within 15 s").isNotNull();
        return r;
    }
}
