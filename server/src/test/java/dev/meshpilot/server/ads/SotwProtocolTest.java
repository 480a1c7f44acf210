package dev.meshpilot.server.ads;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SotwProtocolTest {
    private static final Duration QUIET = Duration.ofMillis(300);

    private TestAdsServer server;
    private RecordingObserver<DiscoveryResponse> responses;
    private StreamObserver<DiscoveryRequest> requests;

    @BeforeEach
    void start() throws Exception {
        server = new TestAdsServer(TestResources.builder()
                .cluster("c1", "1").cluster("c2", "1")
                .endpoints("c1", "1").endpoints("c2", "1")
                .listener("l1", "1").route("r1", "1").build());
        responses = new RecordingObserver<>();
        requests = server.stub().streamAggregatedResources(responses);
    }

    @AfterEach
    void stop() throws Exception {
        requests.onCompleted();
        server.close();
    }

    private DiscoveryRequest.Builder request(String type, String... names) {
        return DiscoveryRequest.newBuilder().setTypeUrl(type).addAllResourceNames(List.of(names));
    }

    private DiscoveryResponse subscribeWithNode(String type, String... names) {
        requests.onNext(request(type, names).setNode(TestAdsServer.node("web-0.shop")).build());
        return responses.next();
    }

    private void ack(DiscoveryResponse r, String... names) {
        requests.onNext(request(r.getTypeUrl(), names).setVersionInfo(r.getVersionInfo())
                .setResponseNonce(r.getNonce()).build());
    }

    /** Acknowledges and waits until the server recorded it, so a following push cannot overtake the ACK. */
    private void ackAndWait(DiscoveryResponse r, String... names) {
        ack(r, names);
        await().atMost(15, TimeUnit.SECONDS).until(() -> r.getNonce().equals(status(r.getTypeUrl()).ackedNonce()));
    }

    private static List<String> clusterNames(DiscoveryResponse r) {
        return r.getResourcesList().stream().map(any -> {
            try {
                return any.unpack(Cluster.class).getName();
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static List<String> endpointNames(DiscoveryResponse r) {
        return r.getResourcesList().stream().map(any -> {
            try {
                return any.unpack(ClusterLoadAssignment.class).getClusterName();
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private TypeStatus status(String type) {
        return server.registry.byProxyId("web-0.shop").orElseThrow().status().types().get(type);
    }

    @Test
    void cdsWithNoNames_isWildcard_andGetsEveryCluster() {
        DiscoveryResponse r = subscribeWithNode(XdsTypes.CLUSTER);
        assertThat(r.getTypeUrl()).isEqualTo(XdsTypes.CLUSTER);
        assertThat(clusterNames(r)).containsExactly("c1", "c2");
        assertThat(r.getNonce()).isNotEmpty();
        assertThat(r.getVersionInfo()).isNotEmpty();
    }

    @Test
    void edsWithNames_getsOnlyThoseNamed_andExistingOnes() {
        DiscoveryResponse r = subscribeWithNode(XdsTypes.ENDPOINT, "c2", "no-such-cluster");
        assertThat(endpointNames(r)).containsExactly("c2");
    }

    @Test
    void nodeIsRememberedFromTheFirstRequest_laterRequestsNeedNone() {
        DiscoveryResponse cds = subscribeWithNode(XdsTypes.CLUSTER);
        ack(cds);
        requests.onNext(request(XdsTypes.ENDPOINT, "c1").build());
        assertThat(endpointNames(responses.next())).containsExactly("c1");
        assertThat(server.registry.byProxyId("web-0.shop")).isPresent();
    }

    @Test
    void ack_marksTypeSynced() {
        DiscoveryResponse r = subscribeWithNode(XdsTypes.CLUSTER);
        ack(r);
        await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> {
            TypeStatus s = status(XdsTypes.CLUSTER);
            assertThat(s.state()).isEqualTo(TypeStatus.SyncState.SYNCED);
            assertThat(s.ackedVersion()).isEqualTo(r.getVersionInfo());
        });
        responses.expectNothing(QUIET);
    }

    @Test
    void changingEdsNamesInAnAck_sendsTheNewSubscription() {
        DiscoveryResponse first = subscribeWithNode(XdsTypes.ENDPOINT, "c1");
        ack(first, "c1", "c2");
        assertThat(endpointNames(responses.next())).containsExactly("c1", "c2");
    }

    @Test
    void nack_recordsError_keepsAckedVersion_andSendsNothingUntilConfigChanges() {
        DiscoveryResponse good = subscribeWithNode(XdsTypes.CLUSTER);
        ackAndWait(good);
        server.update(TestResources.builder().cluster("c1", "2").cluster("c2", "1").build());
        DiscoveryResponse bad = responses.next();
        requests.onNext(request(XdsTypes.CLUSTER).setVersionInfo(good.getVersionInfo()).setResponseNonce(bad.getNonce())
                .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage("cluster c1: bad lb policy"))
                .build());
        await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> {
            TypeStatus s = status(XdsTypes.CLUSTER);
            assertThat(s.state()).isEqualTo(TypeStatus.SyncState.ERROR);
            assertThat(s.lastError()).isEqualTo("cluster c1: bad lb policy");
            assertThat(s.ackedVersion()).isEqualTo(good.getVersionInfo());
        });
        server.update(TestResources.builder().cluster("c1", "2").cluster("c2", "1").build());
        responses.expectNothing(QUIET);
        assertThat(server.meters.find("pilot_total_xds_rejects").tag("type", "cds").counter().count()).isEqualTo(1.0);

        server.update(TestResources.builder().cluster("c1", "3").cluster("c2", "1").build());
        DiscoveryResponse fixed = responses.next();
        assertThat(fixed.getVersionInfo()).isNotEqualTo(bad.getVersionInfo());
        ack(fixed);
        await().atMost(15, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(status(XdsTypes.CLUSTER).state()).isEqualTo(TypeStatus.SyncState.SYNCED));
    }

    @Test
    void removedCluster_isOmittedFromTheNextFullSet() {
        ackAndWait(subscribeWithNode(XdsTypes.CLUSTER));
        server.update(TestResources.builder().cluster("c1", "1").build());
        assertThat(clusterNames(responses.next())).containsExactly("c1");
    }

    @Test
    void pushSendsOnlyTheTypesThatChanged() {
        ackAndWait(subscribeWithNode(XdsTypes.CLUSTER));
        ackAndWait(subscribeWithNode(XdsTypes.ENDPOINT, "c1", "c2"), "c1", "c2");
        ackAndWait(subscribeWithNode(XdsTypes.LISTENER));
        server.update(TestResources.builder().cluster("c1", "1").cluster("c2", "1")
                .endpoints("c1", "2").endpoints("c2", "1").listener("l1", "1").route("r1", "1").build());
        DiscoveryResponse r = responses.next();
        assertThat(r.getTypeUrl()).isEqualTo(XdsTypes.ENDPOINT);
        responses.expectNothing(QUIET);
    }

    @Test
    void endpointChange_toAnUpToDateClient_sendsOnlyTheChangedAssignment_underTheNewSetVersion() {
        DiscoveryResponse first = subscribeWithNode(XdsTypes.ENDPOINT, "c1", "c2");
        assertThat(endpointNames(first)).containsExactly("c1", "c2");
        ackAndWait(first, "c1", "c2");
        server.update(TestResources.builder().cluster("c1", "1").cluster("c2", "1")
                .endpoints("c1", "2").endpoints("c2", "1").build());
        DiscoveryResponse change = responses.next();
        assertThat(endpointNames(change)).containsExactly("c1");
        assertThat(change.getVersionInfo()).isNotEqualTo(first.getVersionInfo());
        assertThat(server.registry.byProxyId("web-0.shop").orElseThrow().status().types().get(XdsTypes.ENDPOINT)
                .sentVersion()).isEqualTo(change.getVersionInfo());
    }

    @Test
    void endpointChange_afterANack_resendsTheWholeSubscribedSet() {
        DiscoveryResponse first = subscribeWithNode(XdsTypes.ENDPOINT, "c1", "c2");
        ackAndWait(first, "c1", "c2");
        server.update(TestResources.builder().cluster("c1", "1").cluster("c2", "1")
                .endpoints("c1", "2").endpoints("c2", "2").build());
        DiscoveryResponse rejected = responses.next();
        requests.onNext(request(XdsTypes.ENDPOINT, "c1", "c2").setVersionInfo(first.getVersionInfo())
                .setResponseNonce(rejected.getNonce())
                .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage("bad endpoints")).build());
        await().atMost(15, TimeUnit.SECONDS).until(() -> !status(XdsTypes.ENDPOINT).lastError().isEmpty());
        server.update(TestResources.builder().cluster("c1", "1").cluster("c2", "1")
                .endpoints("c1", "3").endpoints("c2", "2").build());
        assertThat(endpointNames(responses.next())).containsExactly("c1", "c2");
    }

    @Test
    void clusterChange_alwaysCarriesTheFullClusterSet() {
        ackAndWait(subscribeWithNode(XdsTypes.CLUSTER));
        server.update(TestResources.builder().cluster("c1", "2").cluster("c2", "1").build());
        assertThat(clusterNames(responses.next())).containsExactly("c1", "c2");
    }

    @Test
    void pushOfTypesNotNamed_sendsNothingEvenIfTheyDiffer() {
        ack(subscribeWithNode(XdsTypes.CLUSTER));
        server.update(TestResources.builder().cluster("c1", "9").build(), Set.of(XdsTypes.ENDPOINT));
        responses.expectNothing(QUIET);
    }

    @Test
    void clusterRemovalWithListenerChange_keepsOldClusterUntilListenersWereSent() throws Exception {
        ackAndWait(subscribeWithNode(XdsTypes.CLUSTER));
        ackAndWait(subscribeWithNode(XdsTypes.LISTENER));
        server.update(TestResources.builder().cluster("c1", "1").cluster("c3", "1").listener("l1", "2").build());
        DiscoveryResponse cds = responses.next();
        DiscoveryResponse lds = responses.next();
        DiscoveryResponse finalCds = responses.next();
        assertThat(cds.getTypeUrl()).isEqualTo(XdsTypes.CLUSTER);
        assertThat(clusterNames(cds)).containsExactly("c1", "c3", "c2");
        assertThat(lds.getTypeUrl()).isEqualTo(XdsTypes.LISTENER);
        assertThat(lds.getResources(0).unpack(Listener.class).getStatPrefix()).isEqualTo("2");
        assertThat(finalCds.getTypeUrl()).isEqualTo(XdsTypes.CLUSTER);
        assertThat(clusterNames(finalCds)).containsExactly("c1", "c3");
        responses.expectNothing(QUIET);
    }

    @Test
    void clusterRemovalAlone_isSentInOneResponse() {
        ackAndWait(subscribeWithNode(XdsTypes.CLUSTER));
        ackAndWait(subscribeWithNode(XdsTypes.LISTENER));
        server.update(TestResources.builder().cluster("c1", "1").cluster("c3", "1").listener("l1", "1").build());
        assertThat(clusterNames(responses.next())).containsExactly("c1", "c3");
        responses.expectNothing(QUIET);
    }

    @Test
    void staleNonce_isIgnored() {
        DiscoveryResponse r = subscribeWithNode(XdsTypes.ENDPOINT, "c1");
        server.update(TestResources.builder().cluster("c1", "1").endpoints("c1", "2").build());
        DiscoveryResponse newer = responses.next();
        ack(r, "c1");
        responses.expectNothing(QUIET);
        assertThat(status(XdsTypes.ENDPOINT).sentNonce()).isEqualTo(newer.getNonce());
        assertThat(status(XdsTypes.ENDPOINT).state()).isEqualTo(TypeStatus.SyncState.STALE);
    }

    @Test
    void reconnectingClient_isAnsweredEvenWithItsOldVersion() {
        DiscoveryResponse r = subscribeWithNode(XdsTypes.CLUSTER);
        requests.onCompleted();
        responses = new RecordingObserver<>();
        requests = server.stub().streamAggregatedResources(responses);
        requests.onNext(request(XdsTypes.CLUSTER).setVersionInfo(r.getVersionInfo())
                .setNode(TestAdsServer.node("web-0.shop")).build());
        assertThat(clusterNames(responses.next())).containsExactly("c1", "c2");
    }

    @Test
    void unknownTypeUrl_isAnsweredWithNoResources_andTheStreamCarriesOn() {
        DiscoveryResponse unknown = subscribeWithNode("type.googleapis.com/envoy.nothing.v3.Thing");
        assertThat(unknown.getTypeUrl()).isEqualTo("type.googleapis.com/envoy.nothing.v3.Thing");
        assertThat(unknown.getResourcesCount()).isZero();
        ack(unknown);
        requests.onNext(request(XdsTypes.CLUSTER).build());
        assertThat(clusterNames(responses.next())).containsExactly("c1", "c2");
        TypeStatus s = status("type.googleapis.com/envoy.nothing.v3.Thing");
        assertThat(s.state()).isEqualTo(TypeStatus.SyncState.ERROR);
        assertThat(s.lastError()).contains("not served");
    }

    @Test
    void firstRequestWithoutNode_closesThatStreamWithAClearError_othersUnaffected() throws Exception {
        requests.onNext(request(XdsTypes.CLUSTER).build());
        Throwable error = responses.ended.get(15, TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(Status.fromThrowable(error).getDescription()).contains("must carry the node");

        responses = new RecordingObserver<>();
        requests = server.stub().streamAggregatedResources(responses);
        assertThat(clusterNames(subscribeWithNode(XdsTypes.CLUSTER))).containsExactly("c1", "c2");
    }

    @Test
    void nodeTheSourceRejects_closesTheStreamWithItsReason() throws Exception {
        requests.onNext(request(XdsTypes.CLUSTER).setNode(io.envoyproxy.envoy.config.core.v3.Node.newBuilder()
                .setId("reject-me")).build());
        Throwable error = responses.ended.get(15, TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(error).getDescription()).contains("reject-me").contains("not Istio-style");
        assertThat(server.registry.size()).isZero();
    }

    @Test
    void garbageResourceNames_getNothing_andDoNotHurtTheStream() {
        DiscoveryResponse r = subscribeWithNode(XdsTypes.ENDPOINT, "\u0000\uFFFF", "outbound|||", "x".repeat(10_000));
        assertThat(r.getResourcesCount()).isZero();
        ack(r, "c1");
        assertThat(endpointNames(responses.next())).containsExactly("c1");
    }

    @Test
    void clientThatNeverAcks_stillGetsEachNewConfig_andNoBacklog() {
        subscribeWithNode(XdsTypes.CLUSTER);
        for (int i = 2; i <= 50; i++) {
            server.update(TestResources.builder().cluster("c1", Integer.toString(i)).build());
        }
        await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> {
            DiscoveryResponse last = null;
            for (DiscoveryResponse r : responses.received) {
                last = r;
            }
            assertThat(last).isNotNull();
            assertThat(last.getResources(0).unpack(Cluster.class).getAltStatName()).isEqualTo("50");
        });
        assertThat(status(XdsTypes.CLUSTER).state()).isEqualTo(TypeStatus.SyncState.STALE);
    }

    @Test
    void clientThatNacksEverything_getsEachConfigOnce_notAHotLoop() {
        DiscoveryResponse r = subscribeWithNode(XdsTypes.CLUSTER);
        for (int i = 2; i <= 5; i++) {
            requests.onNext(request(XdsTypes.CLUSTER).setResponseNonce(r.getNonce())
                    .setErrorDetail(com.google.rpc.Status.newBuilder().setMessage("no thanks")).build());
            responses.expectNothing(Duration.ofMillis(100));
            server.update(TestResources.builder().cluster("c1", Integer.toString(i)).build());
            r = responses.next();
        }
        requests.onNext(request(XdsTypes.CLUSTER).setResponseNonce(r.getNonce())
                .setErrorDetail(com.google.rpc.Status.newBuilder().setMessage("no thanks")).build());
        responses.expectNothing(QUIET);
        assertThat(server.meters.find("pilot_total_xds_rejects").tag("type", "cds").counter().count()).isEqualTo(5.0);
    }

    @Test
    void closedStream_leavesTheRegistry() {
        subscribeWithNode(XdsTypes.CLUSTER);
        assertThat(server.registry.size()).isEqualTo(1);
        requests.onCompleted();
        await().atMost(15, TimeUnit.SECONDS).until(() -> server.registry.size() == 0 && server.detached.get() == 1);
        requests = server.stub().streamAggregatedResources(new RecordingObserver<>());
    }
}
