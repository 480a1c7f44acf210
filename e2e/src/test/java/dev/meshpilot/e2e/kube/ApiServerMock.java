package dev.meshpilot.e2e.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's Kubernetes API server mock in CRUD mode (objects are stored, listed and watched), serving the Istio
 * CRDs so that {@code networking.istio.io} is discoverable, plus an admin client that plays kubectl. No real
 * kube-apiserver can run on these machines. {@link #writeKubeconfig} points meshpilot at it.
 */
final class ApiServerMock implements AutoCloseable {

    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private static final Map<String, ResourceDefinitionContext> CORE_KINDS = Map.of(
            "Namespace", context("", "v1", "Namespace", "namespaces", false),
            "Service", context("", "v1", "Service", "services", true),
            "Pod", context("", "v1", "Pod", "pods", true),
            "ConfigMap", context("", "v1", "ConfigMap", "configmaps", true),
            "EndpointSlice", context("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true),
            "CustomResourceDefinition", context("apiextensions.k8s.io", "v1", "CustomResourceDefinition",
                    "customresourcedefinitions", false));
    private static final Map<String, String> ISTIO_PLURALS = Map.of("Sidecar", "sidecars", "ServiceEntry",
            "serviceentries", "VirtualService", "virtualservices", "DestinationRule", "destinationrules");

    private final KubernetesMockServer server;
    private final KubernetesClient admin;

    private ApiServerMock() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url()).withNamespace("default")
                .withRequestTimeout(5_000).withConnectionTimeout(1_000).withRequestRetryBackoffLimit(1)
                .withRequestRetryBackoffInterval(50).build();
        admin = new KubernetesClientBuilder().withConfig(config).build();
    }

    /** A running mock that already serves the four Istio kinds at {@code networking.istio.io/v1}. */
    static ApiServerMock startWithIstioCrds() {
        ApiServerMock mock = new ApiServerMock();
        try {
            mock.installIstioCrds();
            return mock;
        } catch (RuntimeException e) {
            mock.close();
            throw e;
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** A kubeconfig whose current context is this mock, as a user's {@code --kubeconfig FILE} would be. */
    Path writeKubeconfig(Path file) {
        String yaml = """
                apiVersion: v1
                kind: Config
                current-context: mock
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                users:
                - name: meshpilot
                  user: {token: e2e}
                contexts:
                - name: mock
                  context: {cluster: mock, user: meshpilot, namespace: default}
                """.formatted(url());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write kubeconfig " + file, e);
        }
    }

    /** Creates or replaces every object of a (multi-document) YAML text, as {@code kubectl apply} would. */
    void apply(String yaml) {
        for (GenericKubernetesResource r : parse(yaml)) {
            on(r).resource(r).createOr(NonDeletingOperation::update);
        }
    }

    /** Deletes every object named in a (multi-document) YAML text. */
    void delete(String yaml) {
        for (GenericKubernetesResource r : parse(yaml)) {
            on(r).withName(r.getMetadata().getName()).delete();
        }
    }

    /** True when the API server holds an object of {@code kind} (core or Istio) at {@code namespace/name}. */
    boolean exists(String apiVersion, String kind, String namespace, String name) {
        GenericKubernetesResource probe = new GenericKubernetesResource();
        probe.setApiVersion(apiVersion);
        probe.setKind(kind);
        probe.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        return on(probe).withName(name).get() != null;
    }

    /**
     * Every stored object of {@code kind}, in any namespace. In CRUD mode the mock stores objects of any kind it
     * is sent, whether a CRD declares it or not, so this also reads what meshpilot itself writes.
     */
    List<GenericKubernetesResource> list(ResourceDefinitionContext kind) {
        return admin.genericKubernetesResources(kind).inAnyNamespace().list().getItems();
    }

    @Override
    public void close() {
        admin.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // Vert.x waits a bounded time for client connections to drain; Java 17's HTTP client keeps idle
            // connections open after close(), so that wait can time out. The port is closed either way.
            if (!String.valueOf(e.getMessage()).startsWith("Unable to close MockWebServer")) {
                throw e;
            }
        }
    }

    private void installIstioCrds() {
        StringBuilder yaml = new StringBuilder();
        ISTIO_PLURALS.forEach((kind, plural) -> yaml.append("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: %s.networking.istio.io}
                spec:
                  group: networking.istio.io
                  scope: Namespaced
                  names: {kind: %s, plural: %s, listKind: %sList}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                ---
                """.formatted(plural, kind, plural, kind)));
        apply(yaml.toString());
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> on(GenericKubernetesResource r) {
        ResourceDefinitionContext ctx = contextOf(r);
        var operation = admin.genericKubernetesResources(ctx);
        if (!ctx.isNamespaceScoped()) {
            return operation;
        }
        String namespace = r.getMetadata().getNamespace();
        return operation.inNamespace(namespace == null ? "default" : namespace);
    }

    private static ResourceDefinitionContext contextOf(GenericKubernetesResource r) {
        ResourceDefinitionContext core = CORE_KINDS.get(r.getKind());
        if (core != null) {
            return core;
        }
        String plural = ISTIO_PLURALS.get(r.getKind());
        String apiVersion = Objects.requireNonNullElse(r.getApiVersion(), "");
        int slash = apiVersion.indexOf('/');
        if (plural == null || slash < 0) {
            throw new IllegalArgumentException("the mock knows no kind " + apiVersion + " " + r.getKind());
        }
        return context(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), r.getKind(), plural, true);
    }

    private static List<GenericKubernetesResource> parse(String yaml) {
        return Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(doc -> !doc.isBlank())
                .map(doc -> Serialization.unmarshal(doc, GenericKubernetesResource.class))
                .filter(Objects::nonNull) // a document of comments only
                .toList();
    }

    private static ResourceDefinitionContext context(String group, String version, String kind, String plural,
            boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }
}
