package dev.meshpilot.server.ads;

import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeltaProtocolTest {
    private static final Duration QUIET = Duration.ofMillis(300);

    private TestAdsServer server;
    private RecordingObserver<DeltaDiscoveryResponse> responses;
    private StreamObserver<DeltaDiscoveryRequest> requests;

    @BeforeEach
    void start() throws Exception {
        server = new TestAdsServer(TestResources.builder()
                .cluster("c1", "1").cluster("c2", "1")
                .endpoints("c1", "1").endpoints("c2", "1")
                .listener("l1", "1").route("r1", "1").build());
        open();
    }

    private void open() {
        responses = new RecordingObserver<>();
        requests = server.stub().deltaAggregatedResources(responses);
    }

    @AfterEach
    void stop() throws Exception {
        requests.onCompleted();
        server.close();
    }

    private DeltaDiscoveryRequest.Builder request(String type) {
        return DeltaDiscoveryRequest.newBuilder().setTypeUrl(type);
    }

    private DeltaDiscoveryResponse first(DeltaDiscoveryRequest.Builder r) {
        requests.onNext(r.setNode(TestAdsServer.node("web-0.shop")).build());
        return responses.next();
    }

    private void ackAndWait(DeltaDiscoveryResponse r) {
        requests.onNext(request(r.getTypeUrl()).setResponseNonce(r.getNonce()).build());
        await().atMost(15, TimeUnit.SECONDS).until(() -> r.getNonce().equals(status(r.getTypeUrl()).ackedNonce()));
    }

    private TypeStatus status(String type) {
        return server.registry.byProxyId("web-0.shop").orElseThrow().status().types().get(type);
    }

    private static List<String> names(DeltaDiscoveryResponse r) {
        return r.getResourcesList().stream().map(Resource::getName).toList();
    }

    @Test
    void wildcardCds_getsEveryClusterWithPerResourceVersions() {
        DeltaDiscoveryResponse r = first(request(XdsTypes.CLUSTER));
        assertThat(names(r)).containsExactly("c1", "c2");
        assertThat(r.getResourcesList()).extracting(Resource::getVersion).containsOnly("1");
        assertThat(r.getRemovedResourcesList()).isEmpty();
    }

    @Test
    void explicitStar_isWildcardForAnyType() {
        DeltaDiscoveryResponse r = first(request(XdsTypes.ENDPOINT).addResourceNamesSubscribe("*"));
        assertThat(names(r)).containsExactly("c1", "c2");
    }

    @Test
    void namedSubscription_getsOnlyThoseNamed_andLaterSubscriptionsAdd() {
        DeltaDiscoveryResponse r = first(request(XdsTypes.ENDPOINT).addResourceNamesSubscribe("c1"));
        assertThat(names(r)).containsExactly("c1");
        requests.onNext(request(XdsTypes.ENDPOINT).setResponseNonce(r.getNonce()).addResourceNamesSubscribe("c2").build());
        DeltaDiscoveryResponse more = responses.next();
        assertThat(names(more)).containsExactly("c2");
    }

    @Test
    void subscribingToAMissingResource_isAnsweredAsRemoved_once() {
        DeltaDiscoveryResponse r = first(request(XdsTypes.ENDPOINT).addResourceNamesSubscribe("nope"));
        assertThat(r.getResourcesList()).isEmpty();
        assertThat(r.getRemovedResourcesList()).containsExactly("nope");
        ackAndWait(r);
        server.update(TestResources.builder().cluster("c1", "1").endpoints("c1", "2").build());
        responses.expectNothing(QUIET);
    }

    @Test
    void unsubscribe_stopsUpdatesForThatName() {
        DeltaDiscoveryResponse r = first(request(XdsTypes.ENDPOINT).addResourceNamesSubscribe("c1")
                .addResourceNamesSubscribe("c2"));
        ackAndWait(r);
        requests.onNext(request(XdsTypes.ENDPOINT).addResourceNamesUnsubscribe("c2").build());
        await().atMost(15, TimeUnit.SECONDS).until(() -> status(XdsTypes.ENDPOINT).subscribed().equals(List.of("c1")));
        server.update(TestResources.builder().endpoints("c1", "1").endpoints("c2", "2").build());
        responses.expectNothing(QUIET);
        server.update(TestResources.builder().endpoints("c1", "3").endpoints("c2", "2").build());
        assertThat(names(responses.next())).containsExactly("c1");
    }

    @Test
    void pushSendsOnlyChangedResources_andRemovalsAfterAdditions() {
        ackAndWait(first(request(XdsTypes.CLUSTER)));
        ackAndWait(first(request(XdsTypes.LISTENER)));
        server.update(TestResources.builder().cluster("c1", "2").cluster("c3", "1").listener("l1", "2").build());
        DeltaDiscoveryResponse cds = responses.next();
        DeltaDiscoveryResponse lds = responses.next();
        DeltaDiscoveryResponse cdsRemoval = responses.next();
        assertThat(cds.getTypeUrl()).isEqualTo(XdsTypes.CLUSTER);
        assertThat(names(cds)).containsExactly("c1", "c3");
        assertThat(cds.getRemovedResourcesList()).isEmpty();
        assertThat(lds.getTypeUrl()).isEqualTo(XdsTypes.LISTENER);
        assertThat(names(lds)).containsExactly("l1");
        assertThat(cdsRemoval.getTypeUrl()).isEqualTo(XdsTypes.CLUSTER);
        assertThat(cdsRemoval.getResourcesList()).isEmpty();
        assertThat(cdsRemoval.getRemovedResourcesList()).containsExactly("c2");
        responses.expectNothing(QUIET);
    }

    @Test
    void reconnectWithInitialVersions_sendsOnlyWhatDiffers_andRemovesWhatIsGone() {
        ackAndWait(first(request(XdsTypes.CLUSTER)));
        requests.onCompleted();
        open();
        DeltaDiscoveryResponse r = first(request(XdsTypes.CLUSTER)
                .putAllInitialResourceVersions(Map.of("c1", "1", "c2", "old", "gone", "1")));
        assertThat(names(r)).containsExactly("c2");
        assertThat(r.getRemovedResourcesList()).containsExactly("gone");
    }

    @Test
    void reconnectWithEverythingCurrent_getsAnEmptyFirstAnswer() {
        DeltaDiscoveryResponse r = first(request(XdsTypes.CLUSTER)
                .putAllInitialResourceVersions(Map.of("c1", "1", "c2", "1")));
        assertThat(r.getResourcesList()).isEmpty();
        assertThat(r.getRemovedResourcesList()).isEmpty();
        responses.expectNothing(QUIET);
    }

    @Test
    void nack_recordsError_andNothingIsResentUntilConfigChanges() {
        ackAndWait(first(request(XdsTypes.CLUSTER)));
        server.update(TestResources.builder().cluster("c1", "2").cluster("c2", "1").build());
        DeltaDiscoveryResponse bad = responses.next();
        requests.onNext(request(XdsTypes.CLUSTER).setResponseNonce(bad.getNonce())
                .setErrorDetail(com.google.rpc.Status.newBuilder().setMessage("c1 rejected")).build());
        await().atMost(15, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(status(XdsTypes.CLUSTER).state()).isEqualTo(TypeStatus.SyncState.ERROR);
            assertThat(status(XdsTypes.CLUSTER).lastError()).isEqualTo("c1 rejected");
        });
        server.update(TestResources.builder().cluster("c1", "2").cluster("c2", "1").build());
        responses.expectNothing(QUIET);
        server.update(TestResources.builder().cluster("c1", "3").cluster("c2", "1").build());
        assertThat(names(responses.next())).containsExactly("c1");
    }

    @Test
    void unknownType_isAnsweredWithItsNamesRemoved_andTheStreamCarriesOn() {
        DeltaDiscoveryResponse r = first(request("type.googleapis.com/no.such.Type").addResourceNamesSubscribe("x"));
        assertThat(r.getTypeUrl()).isEqualTo("type.googleapis.com/no.such.Type");
        assertThat(r.getRemovedResourcesList()).containsExactly("x");
        requests.onNext(request(XdsTypes.CLUSTER).build());
        assertThat(names(responses.next())).containsExactly("c1", "c2");
    }

    @Test
    void firstRequestWithoutNode_closesTheStream() throws Exception {
        requests.onNext(request(XdsTypes.CLUSTER).build());
        Throwable error = responses.ended.get(15, TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        open();
    }
}
