package dev.meshpilot.kube.apiserver;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.registry.ChangeSet;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.core.registry.SnapshotUpdate;
import dev.meshpilot.kube.convert.ConverterOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The API-server source against fabric8's mock API server in CRUD mode: sync, changes, problems, selectors. */
class KubernetesSourceTest {

    static final Duration CONVERGE = Duration.ofSeconds(15);

    static final String MESH = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop, labels: {team: shop}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: pay}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: cart, namespace: shop}
            spec:
              selector: {app: cart}
              ports: [{name: http, port: 8080, targetPort: 8080}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ledger, namespace: pay}
            spec:
              selector: {app: ledger}
              ports: [{name: grpc, port: 9090}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: cart-0, namespace: shop, labels: {app: cart}}
            spec: {containers: [{name: app, image: cart}]}
            status: {podIP: 10.0.0.10, phase: Running}
            """;

    MockApiServer api;
    RegistryStore store;
    KubernetesClient sourceClient;
    KubernetesSource source;
    final List<SnapshotUpdate> updates = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        api = new MockApiServer();
        store = new RegistryStore(ConverterOptions.DEFAULT.defaultMeshConfig());
        store.subscribe(updates::add);
    }

    @AfterEach
    void tearDown() {
        if (source != null) {
            source.close();
        }
        if (sourceClient != null) {
            sourceClient.close();
        }
        api.close();
    }

    void startSource() throws InterruptedException {
        sourceClient = MockApiServer.clientFor(api.url());
        source = KubernetesSource.start(sourceClient, MockApiServer.settings(), store);
        assertThat(source.awaitSynced(CONVERGE)).as("initial sync").isTrue();
    }

    static List<String> hostnames(MeshSnapshot snapshot) {
        return snapshot.services().stream().map(MeshService::hostname).sorted().toList();
    }

    /** Waits for an update whose change set contains the key, and returns the merged change sets seen so far. */
    ChangeSet awaitChange(int updatesBefore, ConfigKey.Kind kind, String name) {
        await().atMost(CONVERGE).until(() -> merged(updatesBefore).keysOf(kind).stream()
                .anyMatch(k -> k.name().equals(name)));
        return merged(updatesBefore);
    }

    ChangeSet merged(int from) {
        List<SnapshotUpdate> seen = new ArrayList<>(updates.subList(from, updates.size()));
        ChangeSet all = ChangeSet.empty(store.current().version());
        for (SnapshotUpdate u : seen) {
            all = all.merge(u.changes());
        }
        return all;
    }

    @Test
    void initialLists_arriveAsOneSnapshot_beforeSyncedTurnsTrue() throws Exception {
        api.installIstioCrds("v1");
        api.apply(MESH);
        startSource();

        assertThat(updates).hasSize(1);
        MeshSnapshot snapshot = store.current();
        assertThat(snapshot.version()).isEqualTo(1);
        assertThat(hostnames(snapshot)).containsExactly("cart.shop.svc.cluster.local", "ledger.pay.svc.cluster.local");
        assertThat(snapshot.findWorkload("cart-0", "shop")).hasValueSatisfying(w -> assertThat(w.ip()).isEqualTo("10.0.0.10"));
        assertThat(snapshot.namespace("shop")).hasValueSatisfying(n -> assertThat(n.labels()).containsEntry("team", "shop"));
        assertThat(source.status().synced()).isTrue();
        assertThat(source.status().kinds()).containsEntry("Sidecar", "networking.istio.io/v1 watching")
                .containsEntry("Service", "v1 watching");
    }

    @Test
    void serviceCreatedUpdatedDeleted_registryConvergesWithServiceChangeSets() throws Exception {
        api.installIstioCrds("v1");
        api.apply(MESH);
        startSource();
        String orders = """
                apiVersion: v1
                kind: Service
                metadata: {name: orders, namespace: shop}
                spec:
                  ports: [{name: http, port: 80}]
                """;
        String host = "orders.shop.svc.cluster.local";

        int before = updates.size();
        api.apply(orders);
        ChangeSet created = awaitChange(before, ConfigKey.Kind.SERVICE, host);
        assertThat(hostnames(store.current())).contains(host);
        assertThat(created.keysOf(ConfigKey.Kind.SIDECAR)).isEmpty();

        before = updates.size();
        api.apply(orders.replace("port: 80", "port: 8081"));
        awaitChange(before, ConfigKey.Kind.SERVICE, host);
        assertThat(store.current().servicesNamed(host)).singleElement()
                .satisfies(s -> assertThat(s.ports()).extracting(p -> p.port()).containsExactly(8081));

        before = updates.size();
        api.delete(orders);
        awaitChange(before, ConfigKey.Kind.SERVICE, host);
        assertThat(hostnames(store.current())).doesNotContain(host)
                .contains("cart.shop.svc.cluster.local");
    }

    @Test
    void endpointSliceChange_isAnEndpointsOnlyChangeSet() throws Exception {
        api.installIstioCrds("v1");
        api.apply(MESH);
        startSource();
        String slice = """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: ledger-abc
                  namespace: pay
                  labels: {kubernetes.io/service-name: ledger}
                addressType: IPv4
                ports: [{name: grpc, port: 9090, protocol: TCP}]
                endpoints:
                - addresses: [10.1.0.7]
                  conditions: {ready: true}
                """;
        int before = updates.size();
        api.apply(slice);
        ChangeSet change = awaitChange(before, ConfigKey.Kind.ENDPOINTS, "ledger.pay.svc.cluster.local");
        assertThat(change.endpointsOnly()).as(change.toString()).isTrue();
        MeshService ledger = store.current().servicesNamed("ledger.pay.svc.cluster.local").get(0);
        assertThat(store.current().endpointsOf(ledger, ledger.ports().get(0)))
                .extracting(e -> e.address()).containsExactly("10.1.0.7");

        before = updates.size();
        api.apply(slice.replace("10.1.0.7", "10.1.0.8"));
        change = awaitChange(before, ConfigKey.Kind.ENDPOINTS, "ledger.pay.svc.cluster.local");
        assertThat(change.endpointsOnly()).isTrue();
        assertThat(store.current().endpointsOf(ledger, ledger.ports().get(0)))
                .extracting(e -> e.address()).containsExactly("10.1.0.8");
    }

    @Test
    void podLosingReadiness_makesItsEndpointUnhealthy_andBackAgain() throws Exception {
        api.installIstioCrds("v1");
        api.apply(MESH);
        startSource();
        String host = "cart.shop.svc.cluster.local";
        MeshService cart = store.current().servicesNamed(host).get(0);
        assertThat(store.current().endpointsOf(cart, cart.ports().get(0))).singleElement()
                .extracting(e -> e.health()).isEqualTo(dev.meshpilot.core.registry.ServiceEndpoint.Health.HEALTHY);
        String notReady = """
                apiVersion: v1
                kind: Pod
                metadata: {name: cart-0, namespace: shop, labels: {app: cart}}
                spec: {containers: [{name: app, image: cart}]}
                status:
                  podIP: 10.0.0.10
                  phase: Running
                  conditions: [{type: Ready, status: "False"}]
                """;

        int before = updates.size();
        api.apply(notReady);
        awaitChange(before, ConfigKey.Kind.ENDPOINTS, host);
        assertThat(store.current().endpointsOf(cart, cart.ports().get(0))).singleElement()
                .extracting(e -> e.health()).isEqualTo(dev.meshpilot.core.registry.ServiceEndpoint.Health.UNHEALTHY);

        before = updates.size();
        api.apply(notReady.replace("\"False\"", "\"True\""));
        awaitChange(before, ConfigKey.Kind.ENDPOINTS, host);
        assertThat(store.current().endpointsOf(cart, cart.ports().get(0))).singleElement()
                .extracting(e -> e.health()).isEqualTo(dev.meshpilot.core.registry.ServiceEndpoint.Health.HEALTHY);
    }

    @Test
    void sidecarAddedAndRemoved_changeSetsNameTheSidecar() throws Exception {
        api.installIstioCrds("v1");
        api.apply(MESH);
        startSource();
        String sidecar = """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: shop}
                spec:
                  egress:
                  - hosts: ["./*", "pay/ledger.pay.svc.cluster.local"]
                """;
        int before = updates.size();
        api.apply(sidecar);
        awaitChange(before, ConfigKey.Kind.SIDECAR, "default");
        assertThat(store.current().sidecars()).singleElement()
                .satisfies(s -> assertThat(s.meta().namespace()).isEqualTo("shop"));

        before = updates.size();
        api.delete(sidecar);
        awaitChange(before, ConfigKey.Kind.SIDECAR, "default");
        assertThat(store.current().sidecars()).isEmpty();
    }

    @Test
    void peerAuthenticationAddedAndRemoved_isWatchedAtSecurityV1_andNamedInChangeSets() throws Exception {
        api.installIstioCrds("v1");
        api.apply(MESH);
        startSource();
        assertThat(source.status().kinds()).containsEntry("PeerAuthentication", "security.istio.io/v1 watching");
        String policy = """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: strict, namespace: shop}
                spec:
                  mtls: {mode: STRICT}
                """;
        int before = updates.size();
        api.apply(policy);
        awaitChange(before, ConfigKey.Kind.PEER_AUTHENTICATION, "strict");
        assertThat(store.current().peerAuthentications()).singleElement()
                .satisfies(p -> assertThat(p.mode()).isEqualTo(
                        dev.meshpilot.core.model.PeerAuthenticationResource.Mode.STRICT));

        before = updates.size();
        api.delete(policy);
        awaitChange(before, ConfigKey.Kind.PEER_AUTHENTICATION, "strict");
        assertThat(store.current().peerAuthentications()).isEmpty();
    }

    @Test
    void v1NotServed_peerAuthenticationIsReadAtV1beta1() throws Exception {
        api.installIstioCrds("v1beta1");
        api.apply(MESH);
        startSource();
        assertThat(source.status().kinds()).containsEntry("PeerAuthentication", "security.istio.io/v1beta1 watching");
    }

    @Test
    void meshConfigMap_isReadFromTheSystemNamespace_andIsAMeshWideChange() throws Exception {
        api.installIstioCrds("v1");
        api.apply(MESH);
        startSource();
        assertThat(store.current().meshConfig().defaultServiceExportTo()).containsExactly("*");

        int before = updates.size();
        api.apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: |
                    defaultServiceExportTo: ["."]
                """);
        await().atMost(CONVERGE).until(() -> merged(before).meshWide());
        assertThat(store.current().meshConfig().defaultServiceExportTo()).containsExactly(".");

        // another ConfigMap of the system namespace is not mesh input
        int after = updates.size();
        api.apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio-sidecar-injector, namespace: istio-system}
                data: {values: "{}"}
                """);
        Thread.sleep(500);
        assertThat(updates).hasSize(after);
    }

    @Test
    void malformedSidecar_isReportedWithNamespaceAndName_skipped_andTheRestServed() throws Exception {
        api.installIstioCrds("v1");
        api.apply(MESH);
        api.apply("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: broken, namespace: pay}
                spec:
                  egress:
                  - hosts: ["ledger.pay.svc.cluster.local"]
                """);
        startSource();

        assertThat(source.problems()).singleElement().satisfies(p -> {
            assertThat(p.isError()).isTrue();
            assertThat(p.toString()).contains("Sidecar pay/broken").contains("spec.egress[0].hosts[0]");
        });
        assertThat(store.current().sidecars()).isEmpty();
        assertThat(hostnames(store.current())).hasSize(2);

        // fixed: served, and the problem is gone
        api.apply("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: broken, namespace: pay}
                spec:
                  egress:
                  - hosts: ["./ledger.pay.svc.cluster.local"]
                """);
        await().atMost(CONVERGE).until(() -> store.current().sidecars().size() == 1);
        assertThat(source.problems()).isEmpty();
    }

    @Test
    void sidecarBrokenByAnUpdate_keepsItsLastGoodVersion() throws Exception {
        api.installIstioCrds("v1");
        api.apply(MESH);
        String good = """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: shop}
                spec:
                  egress:
                  - hosts: ["./*"]
                """;
        api.apply(good);
        startSource();
        assertThat(store.current().sidecars()).hasSize(1);
        long version = store.current().version();

        api.apply(good.replace("\"./*\"", "\"*\""));
        await().atMost(CONVERGE).until(() -> !source.problems().isEmpty());
        assertThat(source.problems().get(0).toString()).contains("Sidecar shop/default");
        assertThat(store.current().version()).isEqualTo(version);
        assertThat(store.current().sidecars()).singleElement()
                .satisfies(s -> assertThat(s.egress().get(0).hosts()).containsExactly("./*"));
    }

    @Test
    void discoverySelectors_dropUnselectedNamespaces_andFollowNamespaceLabels() throws Exception {
        api.installIstioCrds("v1");
        api.apply(MESH);
        api.apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: |
                    discoverySelectors:
                    - matchLabels: {team: shop}
                """);
        startSource();
        assertThat(hostnames(store.current())).containsExactly("cart.shop.svc.cluster.local");
        assertThat(source.status().objects()).as("the unselected namespace's objects are not even held")
                .isEqualTo(2 /* namespaces */ + 1 /* configmap */ + 1 /* cart */ + 1 /* pod */);

        int before = updates.size();
        api.apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: pay, labels: {team: shop}}
                """);
        awaitChange(before, ConfigKey.Kind.SERVICE, "ledger.pay.svc.cluster.local");
        assertThat(hostnames(store.current())).containsExactly("cart.shop.svc.cluster.local",
                "ledger.pay.svc.cluster.local");

        before = updates.size();
        api.apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                """);
        awaitChange(before, ConfigKey.Kind.SERVICE, "cart.shop.svc.cluster.local");
        assertThat(hostnames(store.current())).containsExactly("ledger.pay.svc.cluster.local");
        assertThat(store.current().workloads()).isEmpty();
    }

    @Test
    void v1NotServed_istioKindsAreReadAtV1beta1() throws Exception {
        api.installIstioCrds("v1beta1");
        api.apply(MESH);
        api.apply("""
                apiVersion: networking.istio.io/v1beta1
                kind: Sidecar
                metadata: {name: default, namespace: shop}
                spec:
                  egress:
                  - hosts: ["./*"]
                """);
        startSource();
        assertThat(store.current().sidecars()).hasSize(1);
        assertThat(source.status().kinds()).containsEntry("Sidecar", "networking.istio.io/v1beta1 watching")
                .containsEntry("DestinationRule", "networking.istio.io/v1beta1 watching");

        int before = updates.size();
        api.apply("""
                apiVersion: networking.istio.io/v1beta1
                kind: DestinationRule
                metadata: {name: ledger, namespace: pay}
                spec:
                  host: ledger.pay.svc.cluster.local
                  subsets: [{name: v1, labels: {version: v1}}]
                """);
        awaitChange(before, ConfigKey.Kind.DESTINATION_RULE, "ledger");
    }

    @Test
    void onlyV1alpha3Served_istioKindsAreReadAtV1alpha3() throws Exception {
        api.installIstioCrds("v1alpha3");
        api.apply(MESH);
        startSource();
        assertThat(source.status().kinds()).containsEntry("VirtualService", "networking.istio.io/v1alpha3 watching");
    }

    @Test
    void istioCrdsMissing_sourceSyncsWithoutIstioKinds() throws Exception {
        api.apply(MESH);
        startSource();
        assertThat(hostnames(store.current())).hasSize(2);
        assertThat(source.status().kinds()).containsEntry("Sidecar", "- not_served");
    }
}
