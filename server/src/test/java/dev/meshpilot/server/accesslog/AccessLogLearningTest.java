package dev.meshpilot.server.accesslog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.server.MeshpilotServer;
import dev.meshpilot.server.learn.LearningOptions;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import static dev.meshpilot.server.accesslog.AccessLogs.common;
import static dev.meshpilot.server.accesslog.AccessLogs.http;
import static dev.meshpilot.server.accesslog.AccessLogs.httpMessage;
import static dev.meshpilot.server.accesslog.AccessLogs.identifier;
import static dev.meshpilot.server.accesslog.AccessLogs.nodeId;
import static dev.meshpilot.server.accesslog.AccessLogs.tcp;
import static dev.meshpilot.server.accesslog.AccessLogs.tcpMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The access-log service of a real server on bookinfo, through the Envoy API's generated stub over loopback: what
 * entries teach the ledger, what is dropped and counted, and what the debug port shows.
 */
class AccessLogLearningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ENTRIES = 100;
    private static final String REVIEWS = "reviews.default.svc.cluster.local";
    private static final String RATINGS = "ratings.default.svc.cluster.local";
    private static final String DETAILS = "details.default.svc.cluster.local";
    private static final WorkloadKey PRODUCTPAGE = new WorkloadKey("default", "productpage-v1");
    private static final WorkloadKey DETAILS_V1 = new WorkloadKey("default", "details-v1");
    private static final WorkloadKey REVIEWS_V1 = new WorkloadKey("default", "reviews-v1");
    private static final WorkloadKey REVIEWS_V2 = new WorkloadKey("default", "reviews-v2");

    @TempDir
    static Path dir;
    private static MeshpilotServer server;
    private static AccessLogClient client;

    @BeforeAll
    static void start() throws Exception {
        LearningServer.copyBookinfo(dir);
        server = LearningServer.start(dir, LearningOptions.inMemory()
                .withIntervals(Duration.ofMillis(50), Duration.ofMinutes(1))
                .withBounds(LearningOptions.DEFAULT_BUFFER_CAPACITY, MAX_ENTRIES));
        client = new AccessLogClient(server.xdsPort());
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
    }

    private static StreamAccessLogsMessage.Identifier node(String podDotNs) {
        return identifier(nodeId(podDotNs));
    }

    private static CallEvidence awaitEvidence(WorkloadKey caller, Destination destination) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> evidence(caller, destination), Optional::isPresent)
                .orElseThrow();
    }

    private static Optional<CallEvidence> evidence(WorkloadKey caller, Destination destination) {
        return server.ledgerKeeper().ledger().page(caller).flatMap(p -> p.call(destination));
    }

    private static MeshSnapshot registry() {
        return server.pipeline().state().snapshot();
    }

    @Test
    void httpEntryToAnOutboundCluster_isLearnedAsAnHttpCallOfItsHostAndPort() throws Exception {
        client.sendAll(List.of(httpMessage(node("productpage-v1-0.default"),
                List.of(http(common("outbound|9080||" + REVIEWS))))));

        CallEvidence e = awaitEvidence(PRODUCTPAGE, new Destination(REVIEWS, 9080));
        assertThat(e.protocols()).containsExactly(CallProtocol.HTTP);
        assertThat(e.sources()).containsExactly(EvidenceSource.ACCESS_LOG);
        assertThat(e.countsByReporter()).containsOnlyKeys("access-log " + LearningOptions.defaultReplicaId());
    }

    @Test
    void subsetCluster_isLearnedAsItsService_atTheEntrysStartTime() throws Exception {
        Instant at = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        client.sendAll(List.of(httpMessage(node("reviews-v1-0.default"),
                List.of(http(AccessLogs.at(common("outbound|9080|v1|" + RATINGS), at))))));

        CallEvidence e = awaitEvidence(REVIEWS_V1, new Destination(RATINGS, 9080));
        assertThat(e.firstSeen()).isEqualTo(at);
        assertThat(e.lastSeen()).isEqualTo(at);
    }

    @Test
    void postOverHttp2ToAPackageQualifiedServiceMethodPath_isLearnedAsGrpc() throws Exception {
        String greeter = "greeter.default.svc.cluster.local";
        client.sendAll(List.of(httpMessage(node("productpage-v1-0.default"), List.of(
                AccessLogs.grpc(common("outbound|50051||" + greeter), "/helloworld.Greeter/SayHello")))));

        assertThat(awaitEvidence(PRODUCTPAGE, new Destination(greeter, 50051)).protocols())
                .containsExactly(CallProtocol.GRPC);
    }

    @Test
    void restLikePathOverHttp2_staysHttp() throws Exception {
        String api = "api.default.svc.cluster.local";
        client.sendAll(List.of(httpMessage(node("productpage-v1-0.default"), List.of(
                AccessLogs.grpc(common("outbound|8080||" + api), "/api/v1/users")))));

        assertThat(awaitEvidence(PRODUCTPAGE, new Destination(api, 8080)).protocols())
                .containsExactly(CallProtocol.HTTP);
    }

    @Test
    void tcpEntry_isLearnedAsATcpCall() throws Exception {
        String mysql = "mysql.default.svc.cluster.local";
        client.sendAll(List.of(tcpMessage(node("reviews-v1-0.default"),
                List.of(tcp(common("outbound|3306||" + mysql))))));

        assertThat(awaitEvidence(REVIEWS_V1, new Destination(mysql, 3306)).protocols())
                .containsExactly(CallProtocol.TCP);
    }

    @Test
    void passthroughToAServiceVip_isLearnedAsThatServiceAndPort() throws Exception {
        String vip = registry().servicesNamed(RATINGS).get(0).addresses().get(0);
        client.sendAll(List.of(tcpMessage(node("details-v1-0.default"),
                List.of(tcp(common("PassthroughCluster", vip, 9080))))));

        assertThat(awaitEvidence(DETAILS_V1, new Destination(RATINGS, 9080)).protocols())
                .containsExactly(CallProtocol.TCP);
    }

    @Test
    void blackHoleToAPodIp_isLearnedAsTheServiceOfThatEndpoint() throws Exception {
        String podIp = registry().findWorkload("reviews-v3-0", "default").orElseThrow().ip();
        client.sendAll(List.of(httpMessage(node("details-v1-0.default"),
                List.of(http(common("BlackHoleCluster", podIp, 9080))))));

        awaitEvidence(DETAILS_V1, new Destination(REVIEWS, 9080));
    }

    @Test
    void passthroughToARegisteredService_countsAsAFallbackCallOfTheCallersNamespace_unknownAddressesDoNot()
            throws Exception {
        String fallback = "meshpilot_learning_fallback_calls_total";
        double before = LearningServer.metric(server, fallback, "workload_namespace", "default");
        String vip = registry().servicesNamed(REVIEWS).get(0).addresses().get(0);
        client.sendAll(List.of(tcpMessage(node("details-v1-0.default"),
                List.of(tcp(common("PassthroughCluster", vip, 9080)),
                        tcp(common("PassthroughCluster", "203.0.113.8", 8443)),
                        tcp(common("outbound|9080||" + RATINGS))))));

        awaitEvidence(DETAILS_V1, new Destination("203.0.113.8", 8443));
        assertThat(LearningServer.metric(server, fallback, "workload_namespace", "default")).isEqualTo(before + 1);
    }

    @Test
    void passthroughToAnAddressOfNothing_isKeptAsAnUnknownIpDestination() throws Exception {
        client.sendAll(List.of(tcpMessage(node("details-v1-0.default"),
                List.of(tcp(common("PassthroughCluster", "203.0.113.7", 8443))))));

        awaitEvidence(DETAILS_V1, new Destination("203.0.113.7", 8443));
        JsonNode page = JSON.readTree(LearningServer.get(server, "/debug/ledgerz?workload=default/details-v1").body());
        JsonNode unknown = null;
        for (JsonNode d : page.get(0).get("destinations")) {
            if (d.get("host").asText().equals("203.0.113.7")) {
                unknown = d;
            }
        }
        assertThat(unknown).isNotNull();
        assertThat(unknown.get("known").asBoolean()).isFalse();
        assertThat(unknown.get("port").asInt()).isEqualTo(8443);
    }

    @Test
    void inboundClusters_areNeitherLearnedNorCountedAsDropped() throws Exception {
        double unknownCluster = LearningServer.dropped(server, DropReason.UNKNOWN_CLUSTER);
        client.sendAll(List.of(httpMessage(node("reviews-v2-0.default"), List.of(
                http(common("inbound|9080||")), http(common("InboundPassthroughCluster", "10.1.1.1", 9080))))));
        server.accessLog().flush();

        assertThat(server.ledgerKeeper().ledger().page(REVIEWS_V2)).isEmpty();
        assertThat(LearningServer.dropped(server, DropReason.UNKNOWN_CLUSTER)).isEqualTo(unknownCluster);
    }

    @Test
    void callsOfOneEdge_countCumulativelyAcrossMessagesAndFlushes() throws Exception {
        String edge = "outbound|9080||counted.default.svc.cluster.local";
        Destination counted = new Destination("counted.default.svc.cluster.local", 9080);
        client.sendAll(List.of(httpMessage(node("productpage-v1-0.default"),
                List.of(http(common(edge)), http(common(edge)), http(common(edge))))));
        server.accessLog().flush();
        assertThat(awaitEvidence(PRODUCTPAGE, counted).count()).isEqualTo(3);

        client.sendAll(List.of(tcpMessage(node("productpage-v1-0.default"), List.of(tcp(common(edge)))),
                tcpMessage(null, List.of(tcp(common(edge))))));
        server.accessLog().flush();

        CallEvidence e = evidence(PRODUCTPAGE, counted).orElseThrow();
        assertThat(e.count()).isEqualTo(5);
        assertThat(e.protocols()).containsExactlyInAnyOrder(CallProtocol.HTTP, CallProtocol.TCP);
    }

    @Test
    void streamWithoutIdentifier_hasItsEntriesDroppedAsUnknownNode_andIsAnsweredNormally() throws Exception {
        double before = LearningServer.dropped(server, DropReason.UNKNOWN_NODE);
        client.open()
                .send(httpMessage(null, List.of(http(common("outbound|9080||" + REVIEWS)), http(common("x")))))
                .send(tcpMessage(null, List.of(tcp(common("outbound|9080||" + REVIEWS)))))
                .finish();

        assertThat(LearningServer.dropped(server, DropReason.UNKNOWN_NODE)).isEqualTo(before + 3);
    }

    @Test
    void emptyNodeIdAndANodeTheRegistryDoesNotKnow_areDroppedAsUnknownNode_notGuessedFromTheirIp() throws Exception {
        double before = LearningServer.dropped(server, DropReason.UNKNOWN_NODE);
        String ratingsIp = registry().findWorkload("ratings-v1-0", "default").orElseThrow().ip();
        client.sendAll(List.of(httpMessage(identifier(""), List.of(http(common("outbound|9080||" + REVIEWS))))));
        client.sendAll(List.of(httpMessage(identifier("sidecar~" + ratingsIp + "~ghost-0.default~default.svc.cluster.local"),
                List.of(http(common("outbound|9080||" + REVIEWS)), http(common("outbound|9080||" + DETAILS))))));
        client.sendAll(List.of(httpMessage(identifier("~~~~\u0000\n" + "x".repeat(100_000)),
                List.of(http(common("outbound|9080||" + REVIEWS))))));
        server.accessLog().flush();

        assertThat(LearningServer.dropped(server, DropReason.UNKNOWN_NODE)).isEqualTo(before + 4);
        assertThat(server.ledgerKeeper().ledger().page(new WorkloadKey("default", "ratings-v1"))).isEmpty();
        assertThat(server.ledgerKeeper().ledger().page(new WorkloadKey("default", "ghost-0"))).isEmpty();
    }

    @Test
    void garbageClusterNamesPortsAndAddresses_areDroppedAndCounted_andTheStreamGoesOn() throws Exception {
        double unknownCluster = LearningServer.dropped(server, DropReason.UNKNOWN_CLUSTER);
        double invalidAddress = LearningServer.dropped(server, DropReason.INVALID_ADDRESS);
        double noUpstream = LearningServer.dropped(server, DropReason.NO_UPSTREAM);
        server.accessLog().flush();
        int edgesBefore = server.ledgerKeeper().ledger().edgeCount();
        AccessLogClient.Stream stream = client.open().send(httpMessage(node("productpage-v1-0.default"), List.of(
                http(common("some_static_cluster")),
                http(common("outbound|0||zero.default.svc.cluster.local")),
                http(common("outbound|99999||big.default.svc.cluster.local")),
                http(common("outbound|-1||negative.default.svc.cluster.local")),
                http(common("outbound|9080||" + "a".repeat(100_000))),
                http(common("outbound|9080||bad host!\n")),
                http(common("sideways|9080||" + REVIEWS)),
                http(common("PassthroughCluster", "203.0.113.9", 0)),
                http(common("PassthroughCluster", "not-an-ip", 80)),
                http(common("PassthroughCluster")),
                http(common("")))));
        stream.send(httpMessage(null, List.of(http(common("outbound|9080||survivor.default.svc.cluster.local")))));
        stream.finish();

        awaitEvidence(PRODUCTPAGE, new Destination("survivor.default.svc.cluster.local", 9080));
        assertThat(LearningServer.dropped(server, DropReason.UNKNOWN_CLUSTER)).isEqualTo(unknownCluster + 7);
        assertThat(LearningServer.dropped(server, DropReason.INVALID_ADDRESS)).isEqualTo(invalidAddress + 3);
        assertThat(LearningServer.dropped(server, DropReason.NO_UPSTREAM)).isEqualTo(noUpstream + 1);
        server.accessLog().flush();
        assertThat(server.ledgerKeeper().ledger().edgeCount()).as("only the survivor was learned")
                .isEqualTo(edgesBefore + 1);
        assertThat(LearningServer.get(server, "/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void moreEntriesThanAreReadFromOneMessage_areDroppedAsEntryLimit() throws Exception {
        double before = LearningServer.dropped(server, DropReason.ENTRY_LIMIT);
        List<HTTPAccessLogEntry> entries = new ArrayList<>(Collections.nCopies(MAX_ENTRIES + 50,
                http(common("outbound|9080||limited.default.svc.cluster.local"))));
        client.sendAll(List.of(httpMessage(node("productpage-v1-0.default"), entries)));
        server.accessLog().flush();

        assertThat(LearningServer.dropped(server, DropReason.ENTRY_LIMIT)).isEqualTo(before + 50);
        assertThat(evidence(PRODUCTPAGE, new Destination("limited.default.svc.cluster.local", 9080)).orElseThrow().count())
                .isEqualTo(MAX_ENTRIES);
    }

    @Test
    void messageLargerThanTheInboundLimit_failsOnlyItsOwnStream() throws Exception {
        AccessLogClient.Stream stream = client.open().send(httpMessage(node("productpage-v1-0.default"),
                List.of(http(common("outbound|9080||" + "h".repeat(MeshpilotServer.MAX_INBOUND_MESSAGE_BYTES))))));

        assertThatThrownBy(stream::finish).isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(Status.fromThrowable(e.getCause()).getCode())
                        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        client.sendAll(List.of(httpMessage(node("productpage-v1-0.default"),
                List.of(http(common("outbound|9080||after-oversize.default.svc.cluster.local"))))));
        awaitEvidence(PRODUCTPAGE, new Destination("after-oversize.default.svc.cluster.local", 9080));
    }

    @Test
    void ledgerz_listsEachWorkloadsDestinations_andFiltersByWorkload() throws Exception {
        client.sendAll(List.of(httpMessage(node("productpage-v1-0.default"),
                List.of(http(common("outbound|9080||" + DETAILS))))));
        awaitEvidence(PRODUCTPAGE, new Destination(DETAILS, 9080));

        HttpResponse<String> r = LearningServer.get(server, "/debug/ledgerz?workload=default/productpage-v1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode pages = JSON.readTree(r.body());
        assertThat(pages).hasSize(1);
        assertThat(pages.get(0).get("workload").asText()).isEqualTo("default/productpage-v1");
        assertThat(pages.get(0).at("/lastReported/access-log").asText()).isNotEmpty();
        JsonNode details = null;
        for (JsonNode d : pages.get(0).get("destinations")) {
            if (d.get("host").asText().equals(DETAILS)) {
                details = d;
            }
        }
        assertThat(details).isNotNull();
        assertThat(details.get("port").asInt()).isEqualTo(9080);
        assertThat(details.get("known").asBoolean()).isTrue();
        assertThat(details.get("protocols").toString()).isEqualTo("[\"HTTP\"]");
        assertThat(details.get("sources").toString()).isEqualTo("[\"access-log\"]");
        assertThat(details.get("count").asLong()).isPositive();
        assertThat(Instant.parse(details.get("firstSeen").asText())).isBeforeOrEqualTo(
                Instant.parse(details.get("lastSeen").asText()));

        JsonNode all = JSON.readTree(LearningServer.get(server, "/debug/ledgerz").body());
        assertThat(all.size()).isEqualTo(server.ledgerKeeper().ledger().workloadCount());
        assertThat(JSON.readTree(LearningServer.get(server, "/debug/ledgerz?workload=default/nobody").body())).isEmpty();
        assertThat(LearningServer.get(server, "/debug/ledgerz?workload=nobody").statusCode()).isEqualTo(400);
        assertThat(LearningServer.get(server, "/debug/list").body()).contains("ledgerz");
    }

    @Test
    void metrics_countObservationsBySource_andShowTheLedgersEdges() throws Exception {
        double before = LearningServer.metric(server, "meshpilot_learning_observations_total", "source", "access-log");
        client.sendAll(List.of(httpMessage(node("productpage-v1-0.default"),
                List.of(http(common("outbound|9080||metered.default.svc.cluster.local"))))));
        server.accessLog().flush();

        assertThat(LearningServer.metric(server, "meshpilot_learning_observations_total", "source", "access-log"))
                .isEqualTo(before + 1);
        assertThat(LearningServer.metric(server, "meshpilot_learning_edges", null, null))
                .isEqualTo(server.ledgerKeeper().ledger().edgeCount());
    }
}
