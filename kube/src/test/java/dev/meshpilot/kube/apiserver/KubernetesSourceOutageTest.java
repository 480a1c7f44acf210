package dev.meshpilot.kube.apiserver;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.convert.ConverterOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * API-server outages: the API server is taken away by cutting a loopback proxy between the source and the mock
 * (connections refused, open watches dropped) and brought back on the same address.
 */
class KubernetesSourceOutageTest {

    static final Duration CONVERGE = Duration.ofSeconds(30);
    static final String LEDGER = """
            apiVersion: v1
            kind: Service
            metadata: {name: ledger, namespace: pay}
            spec:
              ports: [{name: grpc, port: 9090}]
            """;
    static final String ORDERS = """
            apiVersion: v1
            kind: Service
            metadata: {name: orders, namespace: shop}
            spec:
              ports: [{name: http, port: 80}]
            """;

    MockApiServer api;
    LoopbackProxy proxy;
    final List<KubernetesClient> clients = new ArrayList<>();
    final List<KubernetesSource> sources = new ArrayList<>();
    LogCapture log;

    @BeforeEach
    void setUp() throws Exception {
        api = new MockApiServer();
        api.installIstioCrds("v1");
        api.apply(KubernetesSourceTest.MESH);
        proxy = new LoopbackProxy(api.port());
        log = new LogCapture(KubernetesSource.class);
    }

    @AfterEach
    void tearDown() throws Exception {
        sources.forEach(KubernetesSource::close);
        clients.forEach(KubernetesClient::close);
        proxy.close();
        api.close();
        log.close();
    }

    KubernetesSource start(String url, RegistryStore store) {
        KubernetesClient client = MockApiServer.clientFor(url);
        clients.add(client);
        KubernetesSource source = KubernetesSource.start(client, MockApiServer.settings(), store);
        sources.add(source);
        return source;
    }

    static RegistryStore newStore() {
        return new RegistryStore(ConverterOptions.DEFAULT.defaultMeshConfig());
    }

    static List<String> hostnames(MeshSnapshot s) {
        return s.services().stream().map(MeshService::hostname).sorted().toList();
    }

    @Test
    void outage_keepsTheLastState_logsOnce_andRecoveryPicksUpWhatChangedMeanwhile() throws Exception {
        RegistryStore store = newStore();
        KubernetesSource source = start(proxy.url(), store);
        assertThat(source.awaitSynced(CONVERGE)).isTrue();
        MeshSnapshot beforeOutage = store.current();

        proxy.cut();
        await().atMost(CONVERGE).until(() -> !source.status().apiReachable());
        assertThat(source.status().outageCause()).isPresent();

        // the cluster changes while meshpilot cannot see it: one service deleted, one created
        api.delete(LEDGER);
        api.apply(ORDERS);
        Thread.sleep(1_000);
        assertThat(store.current()).as("last state kept during the outage").isSameAs(beforeOutage);
        assertThat(source.isSynced()).as("still ready: the last state is served").isTrue();

        proxy.restore();
        await().atMost(CONVERGE).until(() -> hostnames(store.current()).equals(
                List.of("cart.shop.svc.cluster.local", "orders.shop.svc.cluster.local")));
        await().atMost(CONVERGE).until(() -> source.status().apiReachable());
        assertThat(store.current().workloads()).extracting(w -> w.name()).containsExactly("cart-0");

        List<String> warnings = log.messages(Level.WARNING).stream()
                .filter(m -> m.contains("keeping the last state")).toList();
        assertThat(warnings).as("one warning per outage episode").hasSize(1);
        assertThat(log.messages(Level.INFO)).anyMatch(m -> m.contains("API server reachable again"));

        // and it keeps following the API afterwards
        api.delete(ORDERS);
        await().atMost(CONVERGE).until(() -> hostnames(store.current()).equals(
                List.of("cart.shop.svc.cluster.local")));
    }

    @Test
    void apiUnreachableAtStart_notSyncedAndNothingServed_untilItAnswers() throws Exception {
        proxy.cut();
        RegistryStore store = newStore();
        KubernetesSource source = start(proxy.url(), store);
        Thread.sleep(1_500);
        assertThat(source.isSynced()).isFalse();
        assertThat(store.current().version()).isZero();
        assertThat(source.status().apiReachable()).isFalse();

        proxy.restore();
        assertThat(source.awaitSynced(CONVERGE)).isTrue();
        assertThat(hostnames(store.current())).containsExactly("cart.shop.svc.cluster.local",
                "ledger.pay.svc.cluster.local");
        await().atMost(CONVERGE).until(() -> source.status().apiReachable());
    }

    @Test
    void twoSourcesOnOneApi_serveTheSameMesh_throughChangesAndAnOutageOfOne() throws Exception {
        RegistryStore first = newStore();
        RegistryStore second = newStore();
        KubernetesSource a = start(api.url(), first);
        KubernetesSource b = start(proxy.url(), second);
        assertThat(a.awaitSynced(CONVERGE)).isTrue();
        assertThat(b.awaitSynced(CONVERGE)).isTrue();
        assertThat(MeshContent.of(second.current())).isEqualTo(MeshContent.of(first.current()));

        api.apply(ORDERS);
        api.apply("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: shop}
                spec:
                  egress:
                  - hosts: ["./*"]
                """);
        await().atMost(CONVERGE).until(() -> first.current().sidecars().size() == 1);
        await().atMost(CONVERGE).untilAsserted(() ->
                assertThat(MeshContent.of(second.current())).isEqualTo(MeshContent.of(first.current())));

        proxy.cut(); // the second replica loses the API; the first keeps following it
        await().atMost(CONVERGE).until(() -> !b.status().apiReachable());
        api.delete(LEDGER);
        await().atMost(CONVERGE).until(() -> hostnames(first.current()).size() == 2
                && !hostnames(first.current()).contains("ledger.pay.svc.cluster.local"));
        assertThat(hostnames(second.current())).contains("ledger.pay.svc.cluster.local");

        proxy.restore();
        await().atMost(CONVERGE).untilAsserted(() ->
                assertThat(MeshContent.of(second.current())).isEqualTo(MeshContent.of(first.current())));
    }

    @Test
    void watchGone410_andListErrors_areRetried_theSourceSyncsAndFollowsChanges() throws Exception {
        FaultInjectingDispatcher faults = new FaultInjectingDispatcher();
        try (MockApiServer failing = new MockApiServer(faults)) {
            failing.installIstioCrds("v1");
            failing.apply(KubernetesSourceTest.MESH);
            faults.failWatches("/api/v1/services", 410, 2);       // resource version too old: relist, watch again
            faults.failLists("/api/v1/pods", 500, 2);             // API server error on the list itself
            faults.failWatches("/apis/networking.istio.io/v1/sidecars", 500, 1);
            RegistryStore store = newStore();
            KubernetesSource source = start(failing.url(), store);
            assertThat(source.awaitSynced(CONVERGE)).isTrue();
            assertThat(faults.injected()).isEqualTo(5);
            assertThat(hostnames(store.current())).containsExactly("cart.shop.svc.cluster.local",
                    "ledger.pay.svc.cluster.local");
            assertThat(store.current().workloads()).extracting(w -> w.name()).containsExactly("cart-0");

            failing.apply(ORDERS);
            failing.apply("""
                    apiVersion: networking.istio.io/v1
                    kind: Sidecar
                    metadata: {name: default, namespace: shop}
                    spec:
                      egress:
                      - hosts: ["./*"]
                    """);
            await().atMost(CONVERGE).until(() -> hostnames(store.current()).contains("orders.shop.svc.cluster.local")
                    && store.current().sidecars().size() == 1);
            await().atMost(CONVERGE).until(() -> source.status().apiReachable());
            assertThat(log.messages(Level.WARNING).stream().filter(m -> m.contains("keeping the last state")))
                    .as("the failures form one episode, logged once").hasSize(1);
        }
    }
}
