package dev.meshpilot.kube.apiserver;

import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.convert.ConverterOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one-shot read for {@code proxy-config … --kube}: the same mesh the live source would hold. */
class KubernetesSnapshotLoaderTest {

    MockApiServer api;

    @BeforeEach
    void setUp() {
        api = new MockApiServer();
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    @Test
    void loadsTheSameMeshAsTheLiveSource() throws Exception {
        api.installIstioCrds("v1beta1");
        api.apply(KubernetesSourceTest.MESH);
        api.apply("""
                apiVersion: networking.istio.io/v1beta1
                kind: Sidecar
                metadata: {name: default, namespace: shop}
                spec:
                  egress:
                  - hosts: ["./*"]
                ---
                apiVersion: networking.istio.io/v1beta1
                kind: Sidecar
                metadata: {name: broken, namespace: pay}
                spec:
                  egress:
                  - hosts: ["nope"]
                """);
        KubernetesSnapshotLoader.KubernetesLoad load;
        try (KubernetesClient client = MockApiServer.clientFor(api.url())) {
            load = KubernetesSnapshotLoader.load(client, ConverterOptions.DEFAULT);
        }
        assertThat(load.kinds()).containsEntry("Sidecar", "networking.istio.io/v1beta1").containsEntry("Pod", "v1");
        assertThat(load.problems()).singleElement().satisfies(p -> assertThat(p.toString()).contains("Sidecar pay/broken"));
        assertThat(load.snapshot().sidecars()).hasSize(1);

        RegistryStore store = new RegistryStore(ConverterOptions.DEFAULT.defaultMeshConfig());
        try (KubernetesClient client = MockApiServer.clientFor(api.url());
             KubernetesSource source = KubernetesSource.start(client, MockApiServer.settings(), store)) {
            assertThat(source.awaitSynced(Duration.ofSeconds(15))).isTrue();
            assertThat(MeshContent.of(load.snapshot())).isEqualTo(MeshContent.of(store.current()));
        }
    }

    @Test
    void discoverySelectorsApplyToTheOneShotReadToo() {
        api.installIstioCrds("v1");
        api.apply(KubernetesSourceTest.MESH);
        api.apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: |
                    discoverySelectors:
                    - matchExpressions: [{key: team, operator: Exists}]
                """);
        try (KubernetesClient client = MockApiServer.clientFor(api.url())) {
            var load = KubernetesSnapshotLoader.load(client, ConverterOptions.DEFAULT);
            assertThat(load.snapshot().services()).extracting(s -> s.hostname())
                    .containsExactly("cart.shop.svc.cluster.local");
        }
    }

    @Test
    void unreachableApiServer_isOneClearError() throws Exception {
        LoopbackProxy proxy = new LoopbackProxy(api.port());
        proxy.cut();
        try (KubernetesClient client = MockApiServer.clientFor(proxy.url())) {
            assertThatThrownBy(() -> KubernetesSnapshotLoader.load(client, ConverterOptions.DEFAULT))
                    .isInstanceOf(KubernetesAccessException.class)
                    .hasMessageStartingWith("cannot read the mesh from the Kubernetes API server at " + proxy.url());
        }
    }
}
