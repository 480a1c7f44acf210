package dev.meshpilot.kube.apiserver;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's Kubernetes API server mock in CRUD mode (objects are stored, listed and watched; CRDs make their
 * group/version discoverable), plus an admin client that plays kubectl. No real kube-apiserver can run here.
 */
final class MockApiServer implements AutoCloseable {

    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private static final Map<String, ResourceDefinitionContext> CORE = Map.of(
            "Namespace", context("", "v1", "Namespace", "namespaces", false),
            "Service", context("", "v1", "Service", "services", true),
            "Pod", context("", "v1", "Pod", "pods", true),
            "ConfigMap", context("", "v1", "ConfigMap", "configmaps", true),
            "EndpointSlice", context("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", true),
            "CustomResourceDefinition", context("apiextensions.k8s.io", "v1", "CustomResourceDefinition",
                    "customresourcedefinitions", false));

    private final KubernetesMockServer server;
    private final KubernetesClient admin;

    MockApiServer() {
        this(new KubernetesCrudDispatcher(List.of()));
    }

    /** A mock serving through the given CRUD dispatcher (e.g. one that injects failures). */
    MockApiServer(KubernetesCrudDispatcher dispatcher) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        admin = clientFor("http://127.0.0.1:" + server.getPort());
    }

    int port() {
        return server.getPort();
    }

    String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** A client that never reads the local kubeconfig, with quick retries (100 ms, doubling). */
    static KubernetesClient clientFor(String url) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace("default")
                .withRequestTimeout(5_000).withConnectionTimeout(1_000).withRequestRetryBackoffLimit(1)
                .withRequestRetryBackoffInterval(50).build();
        KubernetesClients.applyRetry(config, settings());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    static KubernetesSettings settings() {
        return KubernetesSettings.defaults().withRetryInterval(Duration.ofMillis(100));
    }

    /** Creates or replaces every object of a (multi-document) YAML text. */
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

    /** Installs the Istio CRDs (networking and security) serving (and storing) the given version only. */
    void installIstioCrds(String version) {
        StringBuilder yaml = new StringBuilder();
        for (WatchedKind.IstioKind istio : WatchedKind.ISTIO_KINDS) {
            if (!istio.versions().contains(version)) {
                continue; // e.g. security.istio.io has no v1alpha3
            }
            yaml.append("""
                    apiVersion: apiextensions.k8s.io/v1
                    kind: CustomResourceDefinition
                    metadata: {name: %s.%s}
                    spec:
                      group: %s
                      scope: Namespaced
                      names: {kind: %s, plural: %s, listKind: %sList}
                      versions:
                      - name: %s
                        served: true
                        storage: true
                        schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                    ---
                    """.formatted(istio.plural(), istio.group(), istio.group(), istio.kind(), istio.plural(),
                    istio.kind(), version));
        }
        apply(yaml.toString());
    }

    KubernetesClient admin() {
        return admin;
    }

    @Override
    public void close() {
        admin.close();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // Vert.x waits a bounded time for client connections to drain; the JDK HTTP client of Java 17 keeps
            // idle connections open after close(), so that wait can time out. The port is closed either way.
            if (!String.valueOf(e.getMessage()).startsWith("Unable to close MockWebServer")) {
                throw e;
            }
        }
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> on(GenericKubernetesResource r) {
        ResourceDefinitionContext ctx = contextOf(r);
        var op = admin.genericKubernetesResources(ctx);
        if (ctx.isNamespaceScoped()) {
            String ns = r.getMetadata().getNamespace() == null ? "default" : r.getMetadata().getNamespace();
            return op.inNamespace(ns);
        }
        return op;
    }

    private static ResourceDefinitionContext contextOf(GenericKubernetesResource r) {
        String kind = r.getKind();
        if (CORE.containsKey(kind)) {
            return CORE.get(kind);
        }
        String apiVersion = r.getApiVersion();
        int slash = apiVersion.indexOf('/');
        String plural = WatchedKind.ISTIO_KINDS.stream().filter(k -> k.kind().equals(kind))
                .map(WatchedKind.IstioKind::plural).findFirst().orElseThrow();
        return context(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind, plural, true);
    }

    private static List<GenericKubernetesResource> parse(String yaml) {
        return java.util.Arrays.stream(yaml.split("(?m)^---\\s*$"))
                .filter(doc -> !doc.isBlank())
                .map(doc -> Serialization.unmarshal(doc, GenericKubernetesResource.class))
                .filter(java.util.Objects::nonNull) // a document of comments only
                .toList();
    }

    private static ResourceDefinitionContext context(String group, String version, String kind, String plural,
                                                     boolean namespaced) {
        return new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }
}
