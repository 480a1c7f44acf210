package dev.meshpilot.kube.apiserver;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.convert.ConverterOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Starting from settings, Istio CRDs appearing later, another system namespace, closing. */
class KubernetesSourceLifecycleTest {

    static final Duration CONVERGE = Duration.ofSeconds(20);

    MockApiServer api;

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() {
        api = new MockApiServer();
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    static RegistryStore newStore(ConverterOptions options) {
        return new RegistryStore(options.defaultMeshConfig());
    }

    @Test
    void startedFromAKubeconfigFileAndContext_followsThatCluster() throws Exception {
        api.installIstioCrds("v1");
        api.apply(KubernetesSourceTest.MESH);
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                current-context: elsewhere
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                - name: nowhere
                  cluster: {server: "http://127.0.0.1:1"}
                users:
                - name: reader
                  user: {token: abc}
                contexts:
                - name: mock
                  context: {cluster: mock, user: reader}
                - name: elsewhere
                  context: {cluster: nowhere, user: reader}
                """.formatted(api.url()));
        RegistryStore store = newStore(ConverterOptions.DEFAULT);
        KubernetesSettings settings = MockApiServer.settings().withKubeconfig(kubeconfig).withContext("mock");
        try (KubernetesSource source = KubernetesSource.start(settings, store)) {
            assertThat(source.awaitSynced(CONVERGE)).isTrue();
            assertThat(store.current().services()).extracting(MeshService::hostname)
                    .contains("cart.shop.svc.cluster.local");
        }
    }

    @Test
    void istioCrdsInstalledAfterStart_areDiscovered_andTheirObjectsRead() throws Exception {
        api.apply(KubernetesSourceTest.MESH);
        RegistryStore store = newStore(ConverterOptions.DEFAULT);
        try (KubernetesClient client = MockApiServer.clientFor(api.url());
             KubernetesSource source = KubernetesSource.start(client, MockApiServer.settings(), store)) {
            assertThat(source.awaitSynced(CONVERGE)).isTrue();
            assertThat(source.status().kinds()).containsEntry("Sidecar", "- not_served");

            api.installIstioCrds("v1");
            api.apply("""
                    apiVersion: networking.istio.io/v1
                    kind: Sidecar
                    metadata: {name: default, namespace: shop}
                    spec:
                      egress:
                      - hosts: ["./*"]
                    """);
            await().atMost(CONVERGE).until(() -> store.current().sidecars().size() == 1);
            assertThat(source.status().kinds()).containsEntry("Sidecar", "networking.istio.io/v1 watching");
        }
    }

    @Test
    void anotherSystemNamespace_readsMeshConfigFromThere_only() throws Exception {
        api.installIstioCrds("v1");
        api.apply(KubernetesSourceTest.MESH);
        api.apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: |
                    defaultServiceExportTo: ["~"]
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: mesh-control}
                data:
                  mesh: |
                    defaultServiceExportTo: ["."]
                """);
        ConverterOptions options = ConverterOptions.withSystemNamespace("mesh-control");
        RegistryStore store = newStore(options);
        try (KubernetesClient client = MockApiServer.clientFor(api.url());
             KubernetesSource source = KubernetesSource.start(client,
                     MockApiServer.settings().withConverterOptions(options), store)) {
            assertThat(source.awaitSynced(CONVERGE)).isTrue();
            assertThat(store.current().meshConfig().defaultServiceExportTo()).containsExactly(".");
            assertThat(store.current().meshConfig().rootNamespace()).isEqualTo("mesh-control");
        }
    }

    @Test
    void closedSource_keepsTheLastStateInTheStore_andStopsFollowing() throws Exception {
        api.installIstioCrds("v1");
        api.apply(KubernetesSourceTest.MESH);
        RegistryStore store = newStore(ConverterOptions.DEFAULT);
        try (KubernetesClient client = MockApiServer.clientFor(api.url())) {
            KubernetesSource source = KubernetesSource.start(client, MockApiServer.settings(), store);
            assertThat(source.awaitSynced(CONVERGE)).isTrue();
            long version = store.current().version();
            source.close();
            api.apply(KubernetesSourceOutageTest.ORDERS);
            Thread.sleep(1_000);
            assertThat(store.current().version()).isEqualTo(version);
            assertThat(store.current().services()).hasSize(2);
        }
    }
}
