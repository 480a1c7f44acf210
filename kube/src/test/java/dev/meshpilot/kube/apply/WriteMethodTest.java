package dev.meshpilot.kube.apply;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshpilot.kube.testing.CrudApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What fabric8's Kubernetes API server mock in CRUD mode (the accepted stand-in for a kube-apiserver here) does
 * with each write method: the reason tests write with {@link WriteMethod#REPLACE} while production applies.
 */
class WriteMethodTest {

    private static final ResourceDefinitionContext SIDECARS = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1").withKind("Sidecar").withPlural("sidecars")
            .withNamespaced(true).build();

    private final CrudApiServer api = new CrudApiServer();

    @AfterEach
    void close() {
        api.close();
    }

    private static GenericKubernetesResource sidecar(String hosts) throws Exception {
        return ObjectTrees.toResource((ObjectNode) new ObjectMapper().readTree("""
                {"apiVersion": "networking.istio.io/v1", "kind": "Sidecar",
                 "metadata": {"name": "default", "namespace": "shop"},
                 "spec": {"egress": [{"hosts": [%s]}]}}""".formatted(hosts)));
    }

    @Test
    void serverSideApply_isSentAsAnApplyPatchUnderFieldManagerMeshpilot_andTheMockAnswers415() throws Exception {
        var objects = api.newClient().genericKubernetesResources(SIDECARS).inNamespace("shop");
        GenericKubernetesResource created = WriteMethod.SERVER_SIDE_APPLY.create(objects, sidecar("\"./*\""));

        assertThatThrownBy(() -> WriteMethod.SERVER_SIDE_APPLY.update(objects, sidecar("\"./*\", \"istio-system/*\""),
                created.getMetadata().getResourceVersion()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(415));
        RecordedRequest apply = api.lastRequest();
        assertThat(apply.getMethod()).isEqualTo("PATCH");
        assertThat(apply.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
        assertThat(apply.getPath()).contains("fieldManager=meshpilot").contains("force=true");
    }

    @Test
    void replace_withTheVersionRead_succeeds_andWithAStaleOne_isAConflict() throws Exception {
        var objects = api.newClient().genericKubernetesResources(SIDECARS).inNamespace("shop");
        GenericKubernetesResource created = WriteMethod.REPLACE.create(objects, sidecar("\"./*\""));
        String read = created.getMetadata().getResourceVersion();

        GenericKubernetesResource updated = WriteMethod.REPLACE.update(objects, sidecar("\"./*\", \"a/*\""), read);

        assertThat(updated.getMetadata().getResourceVersion()).isNotEqualTo(read);
        assertThatThrownBy(() -> WriteMethod.REPLACE.update(objects, sidecar("\"./*\", \"b/*\""), read))
                .isInstanceOfSatisfying(KubernetesClientException.class,
                        e -> assertThat(WriteMethod.isConflict(e)).isTrue());
    }

    @Test
    void create_ofAnExistingObject_isAConflict() throws Exception {
        var objects = api.newClient().genericKubernetesResources(SIDECARS).inNamespace("shop");
        WriteMethod.REPLACE.create(objects, sidecar("\"./*\""));

        assertThatThrownBy(() -> WriteMethod.SERVER_SIDE_APPLY.create(objects, sidecar("\"./*\"")))
                .isInstanceOfSatisfying(KubernetesClientException.class,
                        e -> assertThat(WriteMethod.isConflict(e)).isTrue());
    }

    @Test
    void deleteWithAStaleVersionPrecondition_isIgnoredByTheMock_soAppliersDeletesAreCheckedOnlyOnARealServer()
            throws Exception {
        var objects = api.newClient().genericKubernetesResources(SIDECARS).inNamespace("shop");
        WriteMethod.REPLACE.create(objects, sidecar("\"./*\""));

        objects.withName("default").lockResourceVersion("999999").delete();

        assertThat(objects.withName("default").get()).isNull();
    }
}
