package dev.meshpilot.kube.apiserver;

import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.kube.convert.ConverterOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The seed scenario at the registry and scope level, driven through the API server instead of files: a root
 * default Sidecar hides namespace pay from a pod in shop; a Sidecar for shop importing pay, created through the API,
 * brings ledger into that pod's scope; deleting it hides ledger again. (The same scenario with real xDS clients runs
 * in e2e over files; here it shows the API path feeds scoping the same way.)
 */
class SidecarScopingThroughApiTest {

    static final String LEDGER = "ledger.pay.svc.cluster.local";
    static final ProxyIdentity CART = new ProxyIdentity("cart-0", "shop", Map.of("app", "cart"), "10.0.0.10",
            ProxyIdentity.ProxyKind.SIDECAR);
    static final String IMPORT_PAY = """
            apiVersion: networking.istio.io/v1
            kind: Sidecar
            metadata: {name: default, namespace: shop}
            spec:
              egress:
              - hosts: ["./*", "pay/*"]
            """;

    static ProxyScope scopeOfCart(RegistryStore store) {
        return new SidecarScopes(store.current()).scopeFor(CART);
    }

    @Test
    void sidecarCreatedThroughTheApi_importsTheOtherNamespace_andDeletingItHidesItAgain() throws Exception {
        try (MockApiServer api = new MockApiServer()) {
            api.installIstioCrds("v1");
            api.apply(KubernetesSourceTest.MESH);
            api.apply("""
                    apiVersion: v1
                    kind: Namespace
                    metadata: {name: istio-system}
                    ---
                    apiVersion: networking.istio.io/v1
                    kind: Sidecar
                    metadata: {name: default, namespace: istio-system}
                    spec:
                      egress:
                      - hosts: ["./*", "istio-system/*"]
                    """);
            RegistryStore store = new RegistryStore(ConverterOptions.DEFAULT.defaultMeshConfig());
            try (KubernetesClient client = MockApiServer.clientFor(api.url());
                 KubernetesSource source = KubernetesSource.start(client, MockApiServer.settings(), store)) {
                assertThat(source.awaitSynced(Duration.ofSeconds(15))).isTrue();
                assertThat(scopeOfCart(store).service(LEDGER)).isEmpty();
                assertThat(scopeOfCart(store).service("cart.shop.svc.cluster.local")).isPresent();

                api.apply(IMPORT_PAY);
                await().atMost(Duration.ofSeconds(15)).until(() -> scopeOfCart(store).service(LEDGER).isPresent());
                assertThat(scopeOfCart(store).sidecar()).hasValueSatisfying(
                        s -> assertThat(s.meta().namespace()).isEqualTo("shop"));

                api.delete(IMPORT_PAY);
                await().atMost(Duration.ofSeconds(15)).until(() -> scopeOfCart(store).service(LEDGER).isEmpty());
            }
        }
    }
}
