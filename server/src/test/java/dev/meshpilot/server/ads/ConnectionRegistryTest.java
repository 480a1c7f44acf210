package dev.meshpilot.server.ads;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry's index by proxy id, through real streams of a loopback ADS server (a connection is attached, and so
 * has its proxy id, only through a stream): several streams of one proxy, oldest first, and nothing left of a proxy
 * once all its streams are gone.
 */
class ConnectionRegistryTest {
    private static final String PROXY = "web-0.shop";
    private static final String OTHER = "api-0.shop";

    private TestAdsServer server;
    private ConnectionRegistry registry;
    private final List<StreamObserver<DiscoveryRequest>> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new TestAdsServer(TestResources.builder().cluster("c1", "1").build());
        registry = server.registry;
    }

    @AfterEach
    void stop() throws Exception {
        for (StreamObserver<DiscoveryRequest> s : open) {
            try {
                s.onCompleted();
            } catch (RuntimeException ignored) {
                // already ended
            }
        }
        server.close();
    }

    /** Opens a SotW stream for the proxy and waits until the registry holds it; returns it and its connection. */
    private Opened attach(String proxyId) {
        int before = registry.allOf(proxyId).size();
        RecordingObserver<DiscoveryResponse> responses = new RecordingObserver<>();
        StreamObserver<DiscoveryRequest> requests = server.stub().streamAggregatedResources(responses);
        open.add(requests);
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(XdsTypes.CLUSTER)
                .setNode(TestAdsServer.node(proxyId)).build());
        responses.next();
        await().atMost(15, TimeUnit.SECONDS).until(() -> registry.allOf(proxyId).size() == before + 1);
        List<ProxyConnection> all = registry.allOf(proxyId);
        return new Opened(requests, all.get(all.size() - 1));
    }

    /**
     * The proxy ids the registry's index holds. Not visible through its API (an empty list reads as no entry), but
     * what keeps the index bounded: streams inventing proxy ids must leave nothing behind once they are gone.
     */
    @SuppressWarnings("unchecked")
    private static java.util.Set<String> indexedProxyIds(ConnectionRegistry registry) {
        try {
            java.lang.reflect.Field field = ConnectionRegistry.class.getDeclaredField("byProxy");
            field.setAccessible(true);
            return java.util.Set.copyOf(((java.util.Map<String, ?>) field.get(registry)).keySet());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("ConnectionRegistry's index by proxy id (field byProxy) is gone or renamed", e);
        }
    }

    private record Opened(StreamObserver<DiscoveryRequest> requests, ProxyConnection connection) {
        void close() {
            requests.onCompleted();
        }
    }

    @Test
    void twoStreamsOfOneProxy_areIndexedOldestFirst_andReportedAsDuplicates() {
        Opened first = attach(PROXY);
        Opened other = attach(OTHER);
        Opened second = attach(PROXY);

        assertThat(first.connection().id()).isLessThan(second.connection().id());
        assertThat(registry.allOf(PROXY)).containsExactly(first.connection(), second.connection());
        assertThat(registry.byProxyId(PROXY)).containsSame(first.connection());
        assertThat(registry.allOf(OTHER)).containsExactly(other.connection());
        assertThat(registry.byProxyId(OTHER)).containsSame(other.connection());
        assertThat(registry.duplicates()).containsOnlyKeys(PROXY);
        assertThat(registry.duplicates().get(PROXY)).containsExactly(first.connection(), second.connection());
        assertThat(registry.all()).containsExactly(first.connection(), other.connection(), second.connection());
        assertThat(registry.size()).isEqualTo(3);
        assertThat(registry.allOf("nobody.shop")).isEmpty();
        assertThat(registry.byProxyId("nobody.shop")).isEmpty();
    }

    @Test
    void removingTheOldest_leavesTheNewerOne_shownAndNoLongerADuplicate() {
        Opened first = attach(PROXY);
        Opened second = attach(PROXY);

        first.close();
        await().atMost(15, TimeUnit.SECONDS).until(() -> registry.allOf(PROXY).size() == 1);

        assertThat(registry.allOf(PROXY)).containsExactly(second.connection());
        assertThat(registry.byProxyId(PROXY)).containsSame(second.connection());
        assertThat(registry.duplicates()).isEmpty();
        assertThat(registry.all()).containsExactly(second.connection());
    }

    @Test
    void removingTheNewer_leavesTheOldest() {
        Opened first = attach(PROXY);
        Opened second = attach(PROXY);

        second.close();
        await().atMost(15, TimeUnit.SECONDS).until(() -> registry.allOf(PROXY).size() == 1);

        assertThat(registry.allOf(PROXY)).containsExactly(first.connection());
        assertThat(registry.byProxyId(PROXY)).containsSame(first.connection());
        assertThat(registry.duplicates()).isEmpty();
    }

    @Test
    void removingBoth_leavesNoEntryForTheProxy() {
        Opened first = attach(PROXY);
        Opened second = attach(PROXY);
        Opened other = attach(OTHER);

        first.close();
        second.close();
        await().atMost(15, TimeUnit.SECONDS).until(() -> registry.size() == 1 && server.detached.get() == 2);

        assertThat(registry.allOf(PROXY)).isEmpty();
        assertThat(registry.byProxyId(PROXY)).isEmpty();
        assertThat(registry.duplicates()).isEmpty();
        assertThat(registry.all()).containsExactly(other.connection());
        assertThat(indexedProxyIds(registry)).containsExactly(OTHER);

        // a new stream of that proxy is indexed afresh, alone
        Opened again = attach(PROXY);
        assertThat(registry.allOf(PROXY)).containsExactly(again.connection());
        assertThat(registry.duplicates()).isEmpty();
    }

    @Test
    void removingAConnectionTheRegistryDoesNotHold_isHarmless() {
        Opened first = attach(PROXY);
        Opened second = attach(PROXY);
        first.close();
        await().atMost(15, TimeUnit.SECONDS).until(() -> registry.allOf(PROXY).size() == 1);

        registry.remove(first.connection()); // already removed by its stream
        registry.remove(first.connection());

        assertThat(registry.allOf(PROXY)).containsExactly(second.connection());
        assertThat(registry.byProxyId(PROXY)).containsSame(second.connection());
        assertThat(registry.size()).isEqualTo(1);
        assertThat(indexedProxyIds(registry)).containsExactly(PROXY);

        // a connection that was never attached to this registry at all
        ConnectionRegistry elsewhere = new ConnectionRegistry();
        elsewhere.remove(second.connection());
        assertThat(elsewhere.size()).isZero();
        assertThat(elsewhere.allOf(PROXY)).isEmpty();
        assertThat(elsewhere.duplicates()).isEmpty();
        assertThat(indexedProxyIds(elsewhere)).isEmpty();
        assertThat(registry.allOf(PROXY)).containsExactly(second.connection());
    }
}
