package dev.meshpilot.kube.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.apply.WriteMethod;
import dev.meshpilot.kube.ledger.CustomResourceLedgerStore;
import dev.meshpilot.kube.convert.ConverterOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests in {@code deploy/} against the code: RBAC grants exactly what the source reads and only reading,
 * plus exactly the ledger store's verbs on its own kind; the Deployment keeps the promised shape; the Istio CRDs
 * serve the kinds the source reads and the ledger CRD names what the store writes.
 */
class DeployManifestsTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Path deployDir() {
        return SharedClusterLatencyTest.sharedCluster().getParent().getParent().resolve("deploy");
    }

    static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.isObject()) {
                    out.add(doc);
                }
            }
        }
        return out;
    }

    static List<JsonNode> all(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                out.addAll(documents(f));
            }
        }
        return out;
    }

    static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> found = docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    static JsonNode named(List<JsonNode> docs, String kind, String name) {
        List<JsonNode> found = docs.stream().filter(d -> d.path("kind").asText().equals(kind)
                && d.path("metadata").path("name").asText().equals(name)).toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.get(0);
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void networkPolicy_opensXdsTlsToTheMesh_andTheDebugPortOnlyToMonitoringNamespaces() throws Exception {
        List<JsonNode> docs = all(deployDir());
        JsonNode policy = only(docs, "NetworkPolicy");
        JsonNode deployment = only(docs, "Deployment");
        assertThat(policy.path("spec").path("podSelector").path("matchLabels"))
                .isEqualTo(deployment.path("spec").path("selector").path("matchLabels"));
        assertThat(strings(policy.path("spec").path("policyTypes"))).containsExactly("Ingress");
        Set<Integer> containerPorts = new TreeSet<>();
        deployment.at("/spec/template/spec/containers/0/ports").forEach(p -> containerPorts.add(p.path("containerPort").asInt()));
        Set<Integer> opened = new TreeSet<>();
        for (JsonNode rule : policy.path("spec").path("ingress")) {
            rule.path("ports").forEach(p -> opened.add(p.path("port").asInt()));
            int port = rule.path("ports").get(0).path("port").asInt();
            JsonNode from = rule.path("from").get(0);
            if (port == 15012) {
                assertThat(from.path("namespaceSelector").isEmpty()).as("xDS: every namespace").isTrue();
            } else {
                assertThat(port).isEqualTo(15014);
                assertThat(from.path("namespaceSelector").path("matchLabels").path("meshpilot.dev/monitoring").asText())
                        .isEqualTo("true");
            }
        }
        assertThat(opened).as("every container port has a rule, and no other port").isEqualTo(containerPorts);
    }

    @Test
    void rbac_grantsGetListWatchOnExactlyTheKindsTheSourceReads() throws Exception {
        List<JsonNode> docs = all(deployDir());
        Set<String> granted = new TreeSet<>();
        for (JsonNode rule : named(docs, "ClusterRole", "meshpilot-reader").path("rules")) {
            assertThat(strings(rule.path("verbs"))).containsExactly("get", "list", "watch");
            for (String group : strings(rule.path("apiGroups"))) {
                for (String resource : strings(rule.path("resources"))) {
                    granted.add(group + "/" + resource);
                }
            }
        }
        Set<String> read = new TreeSet<>();
        for (WatchedKind kind : WatchedKind.coreKinds("istio-system")) {
            if (kind.onlyObject().isEmpty()) {
                read.add(kind.group() + "/" + kind.plural());
            }
        }
        for (WatchedKind.IstioKind istio : WatchedKind.ISTIO_KINDS) {
            read.add(istio.group() + "/" + istio.plural());
        }
        assertThat(granted).isEqualTo(read);

        JsonNode role = only(docs, "Role");
        WatchedKind meshConfig = WatchedKind.meshConfigMap("istio-system");
        assertThat(role.path("metadata").path("namespace").asText()).isEqualTo(meshConfig.onlyObject().get().namespace());
        assertThat(role.path("rules")).singleElement().satisfies(rule -> {
            assertThat(strings(rule.path("resources"))).containsExactly(meshConfig.plural());
            assertThat(strings(rule.path("resourceNames"))).containsExactly(meshConfig.onlyObject().get().name());
            assertThat(strings(rule.path("verbs"))).containsExactly("get", "list", "watch");
        });
        for (JsonNode binding : List.of(named(docs, "ClusterRoleBinding", "meshpilot-reader"), only(docs, "RoleBinding"))) {
            JsonNode subject = binding.path("subjects").get(0);
            assertThat(subject.path("name").asText()).isEqualTo(only(docs, "ServiceAccount").path("metadata").path("name").asText());
            assertThat(subject.path("namespace").asText()).isEqualTo("meshpilot-system");
        }
    }

    @Test
    void rbac_grantsTheLedgerStoreExactlyItsVerbsOnWorkloadDependencies_andNothingElse() throws Exception {
        List<JsonNode> docs = all(deployDir());
        assertThat(docs).filteredOn(d -> d.path("kind").asText().equals("ClusterRole"))
                .extracting(d -> d.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("meshpilot-reader", "meshpilot-ledger-writer");
        JsonNode writer = named(docs, "ClusterRole", "meshpilot-ledger-writer");
        assertThat(writer.path("rules")).singleElement().satisfies(rule -> {
            assertThat(strings(rule.path("apiGroups"))).containsExactly(CustomResourceLedgerStore.GROUP);
            assertThat(strings(rule.path("resources"))).containsExactly(CustomResourceLedgerStore.PLURAL);
            assertThat(strings(rule.path("verbs"))).containsExactly("get", "list", "watch", "create", "patch", "update");
            assertThat(rule.has("resourceNames")).isFalse();
        });
        JsonNode binding = named(docs, "ClusterRoleBinding", "meshpilot-ledger-writer");
        assertThat(binding.path("roleRef").path("name").asText()).isEqualTo("meshpilot-ledger-writer");
        assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo("meshpilot");
        assertThat(binding.path("subjects").get(0).path("namespace").asText()).isEqualTo("meshpilot-system");
    }

    @Test
    void ledgerCrd_namesTheGroupKindAndVersionTheStoreUses_isStructural_andServesTheStore() throws Exception {
        Path crdFile = deployDir().resolve("15-workloaddependencies-crd.yaml");
        JsonNode crd = only(documents(crdFile), "CustomResourceDefinition");
        JsonNode spec = crd.path("spec");
        assertThat(crd.path("metadata").path("name").asText())
                .isEqualTo(CustomResourceLedgerStore.PLURAL + "." + CustomResourceLedgerStore.GROUP);
        assertThat(spec.path("group").asText()).isEqualTo(CustomResourceLedgerStore.GROUP);
        assertThat(spec.path("scope").asText()).isEqualTo("Namespaced");
        assertThat(spec.path("names").path("kind").asText()).isEqualTo(CustomResourceLedgerStore.KIND);
        assertThat(spec.path("names").path("plural").asText()).isEqualTo(CustomResourceLedgerStore.PLURAL);
        assertThat(strings(spec.path("names").path("shortNames"))).containsExactly(CustomResourceLedgerStore.SHORT_NAME);
        assertThat(spec.path("versions")).singleElement().satisfies(v -> {
            assertThat(v.path("name").asText()).isEqualTo(CustomResourceLedgerStore.VERSION);
            assertThat(v.path("served").asBoolean()).isTrue();
            assertThat(v.path("storage").asBoolean()).isTrue();
            assertStructural(v.path("schema").path("openAPIV3Schema"), "workloaddependencies");
            assertThat(v.at("/schema/openAPIV3Schema/properties/spec/x-kubernetes-preserve-unknown-fields").asBoolean())
                    .as("fields of a newer format are kept, not pruned").isTrue();
            List<String> columns = new ArrayList<>();
            v.path("additionalPrinterColumns").forEach(c -> columns.add(c.path("jsonPath").asText()));
            assertThat(columns).contains(".spec.workload.name", ".spec.destinations");
        });

        try (MockApiServer api = new MockApiServer()) {
            api.apply(Files.readString(crdFile));
            CustomResourceLedgerStore store = new CustomResourceLedgerStore(api.admin(), WriteMethod.REPLACE,
                    CustomResourceLedgerStore.DEFAULT_BYTE_BUDGET);
            DependencyLedger ledger = DependencyLedger.ofObservations(List.of(Observation.at(
                    new WorkloadKey("shop", "cart"), new Destination("payments.shop.svc.cluster.local", 8080),
                    CallProtocol.HTTP, EvidenceSource.TRAFFIC_FILE, "edges.csv", Instant.parse("2026-12-01T00:00:00Z"), 3)));
            store.save(ledger);
            assertThat(store.load().ledger()).isEqualTo(ledger);
        }
    }

    @Test
    void deployment_exposedDebugPort_needsAMountedToken_andMemoryStaysUnderTheLimit() throws Exception {
        JsonNode container = only(all(deployDir()), "Deployment").path("spec").path("template").path("spec")
                .path("containers").get(0);
        List<String> args = strings(container.path("args"));
        assertThat(args).contains("--debug-address=0.0.0.0");
        String tokenArg = args.stream().filter(a -> a.startsWith("--debug-token-file=")).findFirst().orElseThrow();
        String tokenDir = tokenArg.substring("--debug-token-file=".length(), tokenArg.lastIndexOf('/'));
        List<String> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertThat(mounts).contains(tokenDir);
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .as("the one path served without the token").isEqualTo("/ready");
        List<String> javaOptions = new ArrayList<>();
        container.path("env").forEach(e -> {
            if (e.path("name").asText().equals("JAVA_TOOL_OPTIONS")) {
                javaOptions.add(e.path("value").asText());
            }
        });
        assertThat(javaOptions).singleElement().asString().contains("-XX:MaxRAMPercentage=60",
                "-XX:MaxDirectMemorySize=256m", "-XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void deployment_twoNonRootReadOnlyReplicas_readyOnSync_andAClusterInternalService() throws Exception {
        List<JsonNode> docs = all(deployDir());
        JsonNode deployment = only(docs, "Deployment");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(container.path("resources").path("requests").path("cpu").asText()).isNotEmpty();
        assertThat(container.path("resources").path("requests").path("memory").asText()).isNotEmpty();
        assertThat(strings(container.path("args"))).contains("serve", "--kube", "--system-namespace=istio-system",
                "--debug-address=0.0.0.0");
        JsonNode readiness = container.path("readinessProbe").path("httpGet");
        assertThat(readiness.path("path").asText()).isEqualTo("/ready");
        String probePort = readiness.path("port").asText();
        List<String> portNames = new ArrayList<>();
        container.path("ports").forEach(p -> {
            portNames.add(p.path("name").asText());
            if (p.path("name").asText().equals(probePort)) {
                assertThat(p.path("containerPort").asInt()).isEqualTo(15014);
            }
        });
        assertThat(portNames).contains(probePort);
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo("meshpilot");

        JsonNode service = only(docs, "Service").path("spec");
        assertThat(service.path("type").asText()).isEqualTo("ClusterIP");
        List<Integer> ports = new ArrayList<>();
        service.path("ports").forEach(p -> {
            ports.add(p.path("port").asInt());
            assertThat(portNames).contains(p.path("targetPort").asText());
        });
        assertThat(ports).containsExactly(15012, 15014);
    }

    @Test
    void deployment_servesAuthenticatedXdsOnly_withTheTlsSecretMounted() throws Exception {
        JsonNode pod = only(all(deployDir()), "Deployment").path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        List<String> args = strings(container.path("args"));
        assertThat(args).contains("--xds-port=-1", "--xds-tls-port=15012", "--tls-cert=/etc/meshpilot/tls/tls.crt",
                "--tls-key=/etc/meshpilot/tls/tls.key", "--tls-client-ca=/etc/meshpilot/tls/ca.crt")
                .doesNotContain("--token-review");
        assertThat(container.path("volumeMounts")).anySatisfy(m -> {
            assertThat(m.path("mountPath").asText()).isEqualTo("/etc/meshpilot/tls");
            assertThat(m.path("readOnly").asBoolean()).isTrue();
        });
        assertThat(pod.path("volumes")).anySatisfy(v ->
                assertThat(v.path("secret").path("secretName").asText()).isEqualTo("meshpilot-xds-tls"));
    }

    @Test
    void tokenReviewOverlay_addsOnlyCreateOnTokenReviews_andTheFlag() throws Exception {
        List<JsonNode> base = all(deployDir());
        assertThat(base.toString()).doesNotContain("tokenreviews");
        List<JsonNode> overlay = all(deployDir().resolve("token-review"));
        JsonNode role = named(overlay, "ClusterRole", "meshpilot-tokenreview");
        assertThat(role.path("rules")).hasSize(1);
        JsonNode rule = role.path("rules").get(0);
        assertThat(strings(rule.path("apiGroups"))).containsExactly("authentication.k8s.io");
        assertThat(strings(rule.path("resources"))).containsExactly("tokenreviews");
        assertThat(strings(rule.path("verbs"))).containsExactly("create");
        JsonNode binding = named(overlay, "ClusterRoleBinding", "meshpilot-tokenreview");
        assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo("meshpilot");
        JsonNode patched = documents(deployDir().resolve("token-review/deployment-patch.yaml")).get(0);
        List<String> args = strings(patched.at("/spec/template/spec/containers/0/args"));
        List<String> baseArgs = strings(only(base, "Deployment").at("/spec/template/spec/containers/0/args"));
        assertThat(args).containsExactlyElementsOf(java.util.stream.Stream.concat(baseArgs.stream(),
                java.util.stream.Stream.of("--token-review")).toList());
    }

    @Test
    void crds_areStructural_serveThreeVersions_andLetTheSourceReadV1() throws Exception {
        Path crdFile = deployDir().resolve("without-istio/10-crds.yaml");
        List<JsonNode> crds = documents(crdFile);
        assertThat(crds).extracting(c -> c.path("spec").path("names").path("kind").asText())
                .containsExactlyInAnyOrder("Sidecar", "ServiceEntry", "VirtualService", "DestinationRule",
                        "PeerAuthentication");
        for (JsonNode crd : crds) {
            List<String> versions = new ArrayList<>();
            crd.path("spec").path("versions").forEach(v -> {
                versions.add(v.path("name").asText());
                assertThat(v.path("served").asBoolean()).isTrue();
                assertStructural(v.path("schema").path("openAPIV3Schema"), crd.path("metadata").path("name").asText());
            });
            boolean security = crd.path("spec").path("group").asText().equals(WatchedKind.SECURITY_GROUP);
            assertThat(versions).containsExactlyElementsOf(security ? WatchedKind.SECURITY_VERSIONS
                    : WatchedKind.ISTIO_VERSIONS);
        }

        try (MockApiServer api = new MockApiServer()) {
            api.apply(Files.readString(crdFile));
            api.apply(KubernetesSourceTest.MESH);
            api.apply("""
                    apiVersion: networking.istio.io/v1
                    kind: ServiceEntry
                    metadata: {name: payments-api, namespace: pay}
                    spec:
                      hosts: [api.payments.example]
                      location: MESH_EXTERNAL
                      resolution: DNS
                      ports: [{number: 443, name: tls, protocol: TLS}]
                    """);
            RegistryStore store = new RegistryStore(ConverterOptions.DEFAULT.defaultMeshConfig());
            try (KubernetesClient client = MockApiServer.clientFor(api.url());
                 KubernetesSource source = KubernetesSource.start(client, MockApiServer.settings(), store)) {
                assertThat(source.awaitSynced(Duration.ofSeconds(15))).isTrue();
                assertThat(source.status().kinds()).containsEntry("ServiceEntry", "networking.istio.io/v1 watching");
                assertThat(store.current().servicesNamed("api.payments.example")).hasSize(1);
            }
        }
    }

    /** Every schema node has a type (or is an x-kubernetes-preserve-unknown-fields object), as structural schemas must. */
    private static void assertStructural(JsonNode schema, String where) {
        assertThat(schema.path("type").asText()).as(where).isNotEmpty();
        schema.path("properties").fields().forEachRemaining(e -> assertStructural(e.getValue(), where + "." + e.getKey()));
        if (schema.has("items")) {
            assertStructural(schema.get("items"), where + "[]");
        }
        if (schema.path("additionalProperties").isObject()) {
            assertStructural(schema.get("additionalProperties"), where + "{}");
        }
    }
}
