package dev.meshpilot.e2e.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.LearningMesh;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * meshpilot's ledger as the API server holds it: {@code WorkloadDependencies} ({@code meshpilot.dev/v1alpha1},
 * plural {@code workloaddependencies}), as {@code docs/kubernetes.md} describes them; spelled out here rather than
 * taken from the server's code, so a change of the stored shape shows in these tests.
 */
final class LedgerObjects {

    static final ResourceDefinitionContext KIND = new ResourceDefinitionContext.Builder().withGroup("meshpilot.dev")
            .withVersion("v1alpha1").withKind("WorkloadDependencies").withPlural("workloaddependencies")
            .withNamespaced(true).build();
    /** The caller's object: in its workload's namespace, named after the workload. */
    static final String CALLER_OBJECT = LearningMesh.CLIENT_NAMESPACE + "/client";
    private static final Path CRD = Path.of("deploy", "15-workloaddependencies-crd.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    private LedgerObjects() {
    }

    /** Registers the kind with the CRD meshpilot ships, as {@code kubectl apply -f deploy/} would. */
    static void installCrd(ApiServerMock api, E2eSettings settings) {
        Path file = settings.repoRoot().resolve(CRD);
        try {
            api.apply(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped CRD " + file
                    + " (is meshpilot.repo.root the repository root?)", e);
        }
    }

    /** Every stored object by {@code NAMESPACE/NAME}, as JSON. */
    static Map<String, JsonNode> all(ApiServerMock api) {
        Map<String, JsonNode> objects = new TreeMap<>();
        for (GenericKubernetesResource object : api.list(KIND)) {
            objects.put(object.getMetadata().getNamespace() + "/" + object.getMetadata().getName(),
                    JSON.valueToTree(object));
        }
        return objects;
    }

    /** The {@code spec} of the caller's object; fails (so that a caller waits) while there is none. */
    static JsonNode callerSpec(ApiServerMock api) {
        JsonNode object = all(api).get(CALLER_OBJECT);
        if (object == null) {
            throw new AssertionError("no WorkloadDependencies " + CALLER_OBJECT + " yet; stored: " + all(api).keySet());
        }
        return object.path("spec");
    }
}
