package dev.meshpilot.kube.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshpilot.kube.testing.CrudApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Applying recommended Sidecars against fabric8's Kubernetes API server mock in CRUD mode (the accepted stand-in
 * for a kube-apiserver, which cannot run here). The mock does not serve server-side apply, so the applier writes
 * with {@link WriteMethod#REPLACE} here; what it decides to write is the same.
 */
class SidecarApplierTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CrudApiServer api = new CrudApiServer();
    private final KubernetesClient admin = api.newClient();
    private final SidecarApplier applier = new SidecarApplier(api.newClient(), WriteMethod.REPLACE);

    @AfterEach
    void close() {
        api.close();
    }

    private static ObjectNode sidecar(String namespace, String name, String... hosts) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree("""
                    {"apiVersion": "networking.istio.io/v1", "kind": "Sidecar",
                     "metadata": {"name": "%s", "namespace": "%s", "labels": {"app.kubernetes.io/managed-by": "meshpilot"}},
                     "spec": {"workloadSelector": {"labels": {"app": "%s"}}, "egress": [{"hosts": []}]}}
                    """.formatted(name, namespace, name));
            for (String host : hosts) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) tree.at("/spec/egress/0/hosts")).add(host);
            }
            return tree;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private ObjectNode stored(String namespace, String name) {
        GenericKubernetesResource r = admin.genericKubernetesResources(SidecarApplier.SIDECARS).inNamespace(namespace)
                .withName(name).get();
        return r == null ? null : ObjectTrees.toTree(r);
    }

    private void createForeign(String namespace, String name, String host) {
        ObjectNode foreign = sidecar(namespace, name, host);
        ((ObjectNode) foreign.get("metadata")).remove("labels");
        admin.genericKubernetesResources(SidecarApplier.SIDECARS).inNamespace(namespace)
                .resource(ObjectTrees.toResource(foreign)).create();
    }

    @Test
    void newSidecars_areCreatedWithTheManagedByLabel_andTheDiffShowsTheirHosts() {
        ObjectNode cart = sidecar("shop", "cart", "./*", "istio-system/*");
        ((ObjectNode) cart.get("metadata")).remove("labels");

        ApplyResult result = applier.apply(List.of(cart), Set.of("shop"), false);

        assertThat(result.created()).isEqualTo(1);
        assertThat(result.diff()).containsExactly("created Sidecar shop/cart", "  + ./*", "  + istio-system/*");
        assertThat(stored("shop", "cart").at("/metadata/labels/app.kubernetes.io~1managed-by").asText())
                .isEqualTo("meshpilot");
        assertThat(stored("shop", "cart").at("/spec/egress/0/hosts/1").asText()).isEqualTo("istio-system/*");
    }

    @Test
    void reapplyingTheSameSidecars_isANoOp() {
        List<ObjectNode> desired = List.of(sidecar("shop", "cart", "./*"), sidecar("shop", "web", "./cart.shop.svc.cluster.local"));
        applier.apply(desired, Set.of("shop"), false);
        String version = stored("shop", "cart").at("/metadata/resourceVersion").asText();

        ApplyResult again = applier.apply(desired, Set.of("shop"), false);

        assertThat(again.unchanged()).isEqualTo(2);
        assertThat(again.changesSomething()).isFalse();
        assertThat(again.diff()).containsExactly("unchanged Sidecar shop/cart", "unchanged Sidecar shop/web");
        assertThat(stored("shop", "cart").at("/metadata/resourceVersion").asText()).isEqualTo(version);
    }

    @Test
    void changedHosts_updateOurSidecar_andTheDiffShowsPlusAndMinusLines() {
        applier.apply(List.of(sidecar("shop", "cart", "./*", "legacy/*")), Set.of("shop"), false);

        ApplyResult result = applier.apply(List.of(sidecar("shop", "cart", "./*", "payments/*")), Set.of("shop"), false);

        assertThat(result.updated()).isEqualTo(1);
        assertThat(result.diff()).containsExactly("updated Sidecar shop/cart", "  + payments/*", "  - legacy/*");
        assertThat(stored("shop", "cart").at("/spec/egress/0/hosts/1").asText()).isEqualTo("payments/*");
    }

    @Test
    void changeOutsideTheHosts_isAnUpdate_explainedInTheDiff() {
        applier.apply(List.of(sidecar("shop", "cart", "./*")), Set.of("shop"), false);
        ObjectNode withPolicy = sidecar("shop", "cart", "./*");
        ((ObjectNode) withPolicy.get("spec")).putObject("outboundTrafficPolicy").put("mode", "REGISTRY_ONLY");

        ApplyResult result = applier.apply(List.of(withPolicy), Set.of("shop"), false);

        assertThat(result.diff()).containsExactly("updated Sidecar shop/cart",
                "  ~ same hosts; other fields of the spec or the labels differ");
        assertThat(stored("shop", "cart").at("/spec/outboundTrafficPolicy/mode").asText()).isEqualTo("REGISTRY_ONLY");
    }

    @Test
    void foreignSidecarOfTheSameName_isAConflict_andIsLeftUntouched() {
        createForeign("shop", "cart", "hand-written/*");
        String version = stored("shop", "cart").at("/metadata/resourceVersion").asText();

        ApplyResult result = applier.apply(List.of(sidecar("shop", "cart", "./*")), Set.of("shop"), false);

        assertThat(result.conflicts()).isEqualTo(1);
        assertThat(result.diff()).containsExactly("conflict Sidecar shop/cart: exists without "
                + "app.kubernetes.io/managed-by=meshpilot; left as it is");
        assertThat(stored("shop", "cart").at("/metadata/resourceVersion").asText()).isEqualTo(version);
        assertThat(stored("shop", "cart").at("/spec/egress/0/hosts/0").asText()).isEqualTo("hand-written/*");
    }

    @Test
    void ourSidecarWhoseWorkloadIsGone_isDeleted_butForeignOnesAndUncoveredNamespacesAreNot() {
        applier.apply(List.of(sidecar("shop", "cart", "./*"), sidecar("shop", "old", "./*"),
                sidecar("blog", "old", "./*")), Set.of("shop", "blog"), false);
        createForeign("shop", "manual", "./*");

        ApplyResult result = applier.apply(List.of(sidecar("shop", "cart", "./*")), Set.of("shop"), false);

        assertThat(result.deleted()).isEqualTo(1);
        assertThat(result.diff()).containsExactly("unchanged Sidecar shop/cart",
                "deleted Sidecar shop/old: no longer recommended", "  - ./*");
        assertThat(stored("shop", "old")).isNull();
        assertThat(stored("shop", "manual")).isNotNull();
        assertThat(stored("blog", "old")).as("blog was not covered").isNotNull();
    }

    @Test
    void dryRun_leavesTheServerUnchanged_andReportsWhatApplyingWould() {
        applier.apply(List.of(sidecar("shop", "cart", "./*"), sidecar("shop", "old", "./*")), Set.of("shop"), false);
        createForeign("shop", "web", "./*");
        List<GenericKubernetesResource> before = admin.genericKubernetesResources(SidecarApplier.SIDECARS)
                .inNamespace("shop").list().getItems();

        ApplyResult result = applier.apply(List.of(sidecar("shop", "cart", "./*", "payments/*"),
                sidecar("shop", "new", "./*"), sidecar("shop", "web", "./*")), Set.of("shop"), true);

        assertThat(result.dryRun()).isTrue();
        assertThat(result.summary()).isEqualTo("1 created, 1 updated, 1 deleted, 0 unchanged, 1 conflict (dry run)");
        assertThat(result.diff()).containsExactly(
                "updated Sidecar shop/cart", "  + payments/*",
                "created Sidecar shop/new", "  + ./*",
                "deleted Sidecar shop/old: no longer recommended", "  - ./*",
                "conflict Sidecar shop/web: exists without app.kubernetes.io/managed-by=meshpilot; left as it is");
        assertThat(admin.genericKubernetesResources(SidecarApplier.SIDECARS).inNamespace("shop").list().getItems())
                .usingRecursiveComparison().isEqualTo(before);
    }

    @Test
    void desiredSidecarOutsideTheCoveredNamespaces_isRefused() {
        assertThatThrownBy(() -> applier.apply(List.of(sidecar("blog", "cart", "./*")), Set.of("shop"), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Sidecar blog/cart: namespace blog is not among the namespaces the recommendation covered [shop]");
    }
}
