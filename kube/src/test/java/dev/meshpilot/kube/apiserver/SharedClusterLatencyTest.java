package dev.meshpilot.kube.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.convert.ConverterOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Time from an API write to the registry change, on a mesh of the shared cluster's size: its Namespaces and
 * Services as given, one Pod per workload replica (template labels, an IP each, as the Deployment controller would
 * create) and one EndpointSlice per Service (as the EndpointSlice controller would), all in the mock API server.
 * Then single writes (EndpointSlice address, new Sidecar, Service label) are timed until the store publishes them.
 * The figures are printed; the bound asserted is loose (CI machines are slow), the report quotes the printout.
 */
class SharedClusterLatencyTest {

    static final int WRITES = 60;
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    record Published(long nanos, MeshSnapshot snapshot) {
    }

    MockApiServer api;
    final List<Published> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        api = new MockApiServer();
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    static Path sharedCluster() {
        Path root = Path.of(System.getProperty("meshpilot.repo.root", ".."));
        for (Path candidate : List.of(root.resolve("examples/shared-cluster"), root.resolve("../examples/shared-cluster"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("examples/shared-cluster not found from " + root.toAbsolutePath());
    }

    @Test
    void apiWriteToRegistryChange_onTheSharedClusterMesh() throws Exception {
        api.installIstioCrds("v1");
        int objects = loadSharedCluster(sharedCluster());

        RegistryStore store = new RegistryStore(ConverterOptions.DEFAULT.defaultMeshConfig());
        store.subscribe(u -> published.add(new Published(System.nanoTime(), u.current())));
        long syncStart = System.nanoTime();
        try (KubernetesClient client = MockApiServer.clientFor(api.url());
             KubernetesSource source = KubernetesSource.start(client, MockApiServer.settings(), store)) {
            assertThat(source.awaitSynced(Duration.ofSeconds(60))).isTrue();
            long syncMillis = (System.nanoTime() - syncStart) / 1_000_000;
            MeshSnapshot synced = store.current();
            assertThat(synced.services()).hasSizeGreaterThan(200);
            assertThat(source.problems()).isEmpty();

            List<MeshService> services = synced.services().stream().filter(s -> !s.ports().isEmpty()).toList();
            List<Long> micros = new ArrayList<>();
            List<Long> afterAccepted = new ArrayList<>();
            for (int i = 0; i < WRITES; i++) {
                MeshService target = services.get((i * 7) % services.size());
                long[] timing = timeWrite(i, target);
                micros.add(timing[0]);
                afterAccepted.add(timing[1]);
            }
            List<Long> sorted = micros.stream().sorted().toList();
            long p50 = sorted.get(sorted.size() / 2);
            long p90 = sorted.get((int) (sorted.size() * 0.9));
            long max = sorted.get(sorted.size() - 1);
            List<Long> sortedAfter = afterAccepted.stream().sorted().toList();
            System.out.printf("shared-cluster in the mock API server: %d objects (%d services, %d workloads), "
                            + "initial sync %d ms (registry version %d)%n", objects, synced.services().size(),
                    synced.workloads().size(), syncMillis, synced.version());
            System.out.printf("API write -> registry change over %d single writes: p50 %.1f ms, p90 %.1f ms, "
                    + "max %.1f ms%n", WRITES, p50 / 1000.0, p90 / 1000.0, max / 1000.0);
            System.out.printf("  counted from the write call's return (the API server accepted it): p50 %.1f ms, "
                            + "max %.1f ms%n", sortedAfter.get(sortedAfter.size() / 2) / 1000.0,
                    sortedAfter.get(sortedAfter.size() - 1) / 1000.0);
            System.out.printf("of which the registry rebuild per change (snapshot + change set, %d sources): "
                    + "median %.1f ms%n", store.sourceKeys().size(), rebuildMicros(store) / 1000.0);
            assertThat(max).as("max write-to-registry latency (µs)").isLessThan(5_000_000);
        }
    }

    /** Median time of one registry change on a copy of the store's sources (what every write costs there). */
    private static long rebuildMicros(RegistryStore store) {
        RegistryStore copy = new RegistryStore(ConverterOptions.DEFAULT.defaultMeshConfig());
        List<dev.meshpilot.core.registry.SourceChange> all = new ArrayList<>();
        for (String key : store.sourceKeys()) {
            store.objectsOf(key).ifPresent(o -> all.add(dev.meshpilot.core.registry.SourceChange.replace(key, o)));
        }
        copy.apply(all);
        String key = store.sourceKeys().stream().filter(k -> k.startsWith("k8s/Service/")).findFirst().orElseThrow();
        dev.meshpilot.core.registry.MeshObjects original = store.objectsOf(key).orElseThrow();
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            long start = System.nanoTime();
            if (i % 2 == 0) {
                copy.delete(key);
            } else {
                copy.replace(key, original);
            }
            micros.add((System.nanoTime() - start) / 1_000);
        }
        return micros.stream().sorted().toList().get(micros.size() / 2);
    }

    /**
     * One write and the time until a published snapshot shows it, in microseconds: from the start of the write
     * call (create-or-update: one to three requests), and from its return.
     */
    private long[] timeWrite(int i, MeshService target) {
        String ns = target.namespace();
        String name = target.name();
        String yaml;
        Predicate<MeshSnapshot> visible;
        switch (i % 3) {
            case 0 -> {
                String ip = "10.200." + (i / 250) + "." + (i % 250 + 1);
                int port = target.ports().get(0).targetPort();
                yaml = slice(ns, name, target.ports().get(0).name(), port, List.of(ip));
                visible = s -> s.servicesNamed(target.hostname()).stream().anyMatch(svc ->
                        s.endpointsOf(svc, svc.ports().get(0)).stream().anyMatch(e -> e.address().equals(ip)));
            }
            case 1 -> {
                String sidecar = "timed-" + i;
                yaml = """
                        apiVersion: networking.istio.io/v1
                        kind: Sidecar
                        metadata: {name: %s, namespace: %s}
                        spec:
                          workloadSelector: {labels: {app: %s}}
                          egress:
                          - hosts: ["./*", "istio-system/*"]
                        """.formatted(sidecar, ns, name);
                visible = s -> s.sidecars().stream().anyMatch(sc -> sc.meta().name().equals(sidecar));
            }
            default -> {
                String label = "rev-" + i;
                JsonNode service = readJson(io.fabric8.kubernetes.client.utils.Serialization.asJson(
                        api.admin().services().inNamespace(ns).withName(name).get()));
                ObjectNode meta = (ObjectNode) service.get("metadata");
                meta.remove(List.of("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields"));
                meta.withObject("labels").put("meshpilot-timing", label);
                yaml = service.toString();
                visible = s -> s.servicesNamed(target.hostname()).stream()
                        .anyMatch(svc -> label.equals(svc.origin().labels().get("meshpilot-timing")));
            }
        }
        int seen = published.size();
        long start = System.nanoTime();
        api.apply(yaml);
        long accepted = System.nanoTime();
        // A CopyOnWriteArrayList's subList fails when the list grows while it is read: read a copy instead.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(2))
                .until(() -> publishedSince(seen).stream().anyMatch(p -> visible.test(p.snapshot())));
        long at = publishedSince(seen).stream().filter(p -> visible.test(p.snapshot()))
                .findFirst().orElseThrow().nanos();
        return new long[] {(at - start) / 1_000, Math.max(0, at - accepted) / 1_000};
    }

    private List<Published> publishedSince(int seen) {
        List<Published> copy = List.copyOf(published);
        return copy.subList(seen, copy.size());
    }

    /** Creates the shared cluster's objects; returns how many. */
    private int loadSharedCluster(Path dir) throws IOException {
        List<JsonNode> namespaces = documents(dir.resolve("namespaces.yaml"));
        List<JsonNode> services = documents(dir.resolve("services.yaml"));
        List<JsonNode> workloads = documents(dir.resolve("workloads.yaml"));
        int count = 0;
        for (JsonNode ns : namespaces) {
            api.apply(ns.toString());
            count++;
        }
        List<JsonNode> pods = new ArrayList<>();
        int ip = 0;
        for (JsonNode w : workloads) {
            int replicas = w.path("spec").path("replicas").asInt(1);
            for (int r = 0; r < replicas; r++, ip++) {
                ObjectNode pod = JSON.createObjectNode();
                pod.put("apiVersion", "v1").put("kind", "Pod");
                ObjectNode meta = pod.putObject("metadata");
                meta.put("name", w.path("metadata").path("name").asText() + "-" + r);
                meta.put("namespace", w.path("metadata").path("namespace").asText());
                meta.set("labels", w.path("spec").path("template").path("metadata").path("labels"));
                pod.putObject("spec").set("containers", w.path("spec").path("template").path("spec").path("containers"));
                pod.putObject("status").put("phase", "Running").put("podIP", "10.100." + (ip / 250) + "." + (ip % 250 + 1));
                api.apply(pod.toString());
                pods.add(pod);
                count++;
            }
        }
        for (JsonNode svc : services) {
            api.apply(svc.toString());
            count++;
            JsonNode selector = svc.path("spec").path("selector");
            if (!selector.isObject() || selector.isEmpty() || svc.path("spec").path("ports").isEmpty()) {
                continue;
            }
            List<String> addresses = new ArrayList<>();
            for (JsonNode pod : pods) {
                if (pod.path("metadata").path("namespace").equals(svc.path("metadata").path("namespace"))
                        && matches(selector, pod.path("metadata").path("labels"))) {
                    addresses.add(pod.path("status").path("podIP").asText());
                }
            }
            JsonNode port = svc.path("spec").path("ports").get(0);
            int target = port.path("targetPort").isInt() ? port.path("targetPort").asInt() : port.path("port").asInt();
            api.apply(slice(svc.path("metadata").path("namespace").asText(), svc.path("metadata").path("name").asText(),
                    port.path("name").asText(""), target, addresses));
            count++;
        }
        return count;
    }

    private static String slice(String namespace, String service, String portName, int port, List<String> addresses) {
        ObjectNode slice = JSON.createObjectNode();
        slice.put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice").put("addressType", "IPv4");
        ObjectNode meta = slice.putObject("metadata");
        meta.put("name", service + "-slice").put("namespace", namespace);
        meta.putObject("labels").put("kubernetes.io/service-name", service);
        slice.putArray("ports").addObject().put("name", portName).put("port", port).put("protocol", "TCP");
        ArrayNode endpoints = slice.putArray("endpoints");
        for (String a : addresses) {
            ObjectNode e = endpoints.addObject();
            e.putArray("addresses").add(a);
            e.putObject("conditions").put("ready", true);
        }
        return slice.toString();
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        Iterator<Map.Entry<String, JsonNode>> it = selector.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> documents(Path file) throws IOException {
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
}
