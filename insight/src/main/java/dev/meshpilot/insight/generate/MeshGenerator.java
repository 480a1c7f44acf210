package dev.meshpilot.insight.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Replicates real applications into a large mesh: copy {@code N} of application {@code APP} lives in namespace
 * {@code APP-gN}, with its Services, Deployments/StatefulSets (replicas scaled), call edges (FQDNs rewritten) and,
 * depending on {@link SidecarMode}, Sidecars. The output is a registry directory {@code meshpilot serve --registry}
 * reads; the same inputs and options always give byte-identical files.
 *
 * <pre>
 * OUT/namespaces.yaml                    istio-system and every generated namespace
 * OUT/istio-system/sidecar-default.yaml  root-default mode only
 * OUT/gN/APP/services.yaml               Services of copy N of APP
 * OUT/gN/APP/workloads.yaml              Deployments/StatefulSets
 * OUT/gN/APP/sidecars.yaml               traffic mode only: one Sidecar per workload
 * OUT/gN/APP/edges.csv                   the call edges, rewritten (not read by the server)
 * </pre>
 */
public final class MeshGenerator {

    /** The namespace holding the control plane and, by default, the root Sidecar. */
    public static final String SYSTEM_NAMESPACE = "istio-system";
    /** Egress host of a workload that calls nothing: excludes every host (Istio 1.31) / matches none (older). */
    static final String IMPORT_NOTHING = "~/*";

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    /**
     * Writes the mesh under {@code out}, which must not exist or be an empty directory.
     *
     * @throws TopologyException if {@code out} holds files already
     */
    public GeneratedMesh generate(List<Topology> topologies, GeneratorOptions options, Path out) {
        prepare(out);
        Counter counter = new Counter();
        List<ObjectNode> namespaceObjects = new ArrayList<>();
        namespaceObjects.add(namespace(SYSTEM_NAMESPACE, Map.of()));
        for (int copy = 1; copy <= options.copies(); copy++) {
            for (Topology topology : topologies) {
                CopyNaming naming = new CopyNaming(topology, copy);
                Map<String, String> labels = new TreeMap<>();
                labels.put("meshpilot.dev/app", topology.name());
                labels.put("meshpilot.dev/copy", CopyNaming.groupOf(copy));
                namespaceObjects.add(namespace(naming.newNamespace(), labels));
                writeCopy(topology, naming, options, out.resolve(CopyNaming.groupOf(copy)).resolve(topology.name()),
                        counter);
            }
        }
        counter.namespaces = namespaceObjects.size();
        writeDocuments(out.resolve("namespaces.yaml"), namespaceObjects, counter);
        if (options.sidecars() == SidecarMode.ROOT_DEFAULT) {
            writeDocuments(out.resolve(SYSTEM_NAMESPACE).resolve("sidecar-default.yaml"),
                    List.of(rootDefaultSidecar()), counter);
            counter.sidecars++;
        }
        return new GeneratedMesh(out, counter.namespaces, counter.services, counter.workloads, counter.pods,
                counter.sidecars, counter.edges, counter.files);
    }

    private void writeCopy(Topology topology, CopyNaming naming, GeneratorOptions options, Path dir, Counter counter) {
        List<ObjectNode> services = new ArrayList<>();
        for (ObjectNode service : topology.services()) {
            services.add(relocated(service, naming));
        }
        List<ObjectNode> workloads = new ArrayList<>();
        for (ObjectNode workload : topology.workloads()) {
            ObjectNode copy = relocated(workload, naming);
            ObjectNode spec = copy.with("spec");
            int replicas = options.scaledReplicas(spec.path("replicas").asInt(1));
            spec.put("replicas", replicas);
            if (!options.podTemplateAnnotations().isEmpty()) {
                ObjectNode annotations = spec.with("template").with("metadata").with("annotations");
                options.podTemplateAnnotations().forEach(annotations::put);
            }
            counter.pods += replicas;
            workloads.add(copy);
        }
        List<CallEdge> edges = topology.edges().stream()
                .map(e -> new CallEdge(e.sourceWorkload(), naming.newNamespace(),
                        naming.rewriteHost(e.destinationHost()), e.destinationPort(), e.evidence()))
                .toList();
        counter.services += services.size();
        counter.workloads += workloads.size();
        counter.edges += edges.size();
        writeDocuments(dir.resolve("services.yaml"), services, counter);
        writeDocuments(dir.resolve("workloads.yaml"), workloads, counter);
        writeEdges(dir.resolve("edges.csv"), edges, counter);
        if (options.sidecars() == SidecarMode.TRAFFIC) {
            List<ObjectNode> sidecars = trafficSidecars(workloads, edges, naming.newNamespace());
            counter.sidecars += sidecars.size();
            writeDocuments(dir.resolve("sidecars.yaml"), sidecars, counter);
        }
    }

    /** A deep copy in the new namespace with every FQDN of the old namespace rewritten. */
    private ObjectNode relocated(ObjectNode original, CopyNaming naming) {
        ObjectNode copy = original.deepCopy();
        rewriteStrings(copy, naming);
        copy.with("metadata").put("namespace", naming.newNamespace());
        return copy;
    }

    private static void rewriteStrings(JsonNode node, CopyNaming naming) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<Map.Entry<String, String>> replaced = new ArrayList<>();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual()) {
                    String text = field.getValue().asText();
                    String rewritten = naming.rewrite(text);
                    if (!rewritten.equals(text)) {
                        replaced.add(Map.entry(field.getKey(), rewritten));
                    }
                } else {
                    rewriteStrings(field.getValue(), naming);
                }
            }
            replaced.forEach(e -> object.put(e.getKey(), e.getValue()));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                if (element.isTextual()) {
                    array.set(i, TextNode.valueOf(naming.rewrite(element.asText())));
                } else {
                    rewriteStrings(element, naming);
                }
            }
        }
    }

    /**
     * One Sidecar per workload, selecting its pods by their template labels and importing exactly the hosts the
     * workload calls ({@code NAMESPACE/FQDN}); a workload that calls nothing imports nothing.
     */
    private List<ObjectNode> trafficSidecars(List<ObjectNode> workloads, List<CallEdge> edges, String namespace) {
        Map<String, TreeSet<String>> hostsByWorkload = new LinkedHashMap<>();
        for (CallEdge edge : edges) {
            hostsByWorkload.computeIfAbsent(edge.sourceWorkload(), k -> new TreeSet<>())
                    .add(namespaceOfHost(edge.destinationHost(), namespace) + "/" + edge.destinationHost());
        }
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode workload : workloads) {
            String name = workload.path("metadata").path("name").asText();
            JsonNode labels = workload.path("spec").path("template").path("metadata").path("labels");
            if (!labels.isObject() || labels.isEmpty()) {
                labels = workload.path("spec").path("selector").path("matchLabels");
            }
            if (!labels.isObject() || labels.isEmpty()) {
                continue;
            }
            ObjectNode sidecar = header("networking.istio.io/v1", "Sidecar", name, namespace);
            ObjectNode spec = sidecar.putObject("spec");
            spec.putObject("workloadSelector").set("labels", labels.deepCopy());
            ArrayNode hosts = spec.putArray("egress").addObject().putArray("hosts");
            TreeSet<String> called = hostsByWorkload.getOrDefault(name, new TreeSet<>());
            if (called.isEmpty()) {
                hosts.add(IMPORT_NOTHING);
            } else {
                called.forEach(hosts::add);
            }
            out.add(sidecar);
        }
        return out;
    }

    private static String namespaceOfHost(String fqdn, String fallback) {
        if (!fqdn.endsWith(CopyNaming.CLUSTER_DOMAIN)) {
            return fallback;
        }
        String[] labels = fqdn.substring(0, fqdn.length() - CopyNaming.CLUSTER_DOMAIN.length()).split("\\.");
        return labels.length >= 2 ? labels[labels.length - 1] : fallback;
    }

    private ObjectNode rootDefaultSidecar() {
        ObjectNode sidecar = header("networking.istio.io/v1", "Sidecar", "default", SYSTEM_NAMESPACE);
        ArrayNode hosts = sidecar.putObject("spec").putArray("egress").addObject().putArray("hosts");
        hosts.add("./*");
        hosts.add(SYSTEM_NAMESPACE + "/*");
        return sidecar;
    }

    private ObjectNode namespace(String name, Map<String, String> labels) {
        ObjectNode ns = nodes.objectNode();
        ns.put("apiVersion", "v1");
        ns.put("kind", "Namespace");
        ObjectNode metadata = ns.putObject("metadata");
        metadata.put("name", name);
        if (!labels.isEmpty()) {
            ObjectNode labelNode = metadata.putObject("labels");
            labels.forEach(labelNode::put);
        }
        return ns;
    }

    private ObjectNode header(String apiVersion, String kind, String name, String namespace) {
        ObjectNode object = nodes.objectNode();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        return object;
    }

    private void writeDocuments(Path file, List<ObjectNode> documents, Counter counter) {
        StringBuilder text = new StringBuilder();
        try {
            for (ObjectNode document : documents) {
                if (text.length() > 0) {
                    text.append("---\n");
                }
                text.append(yaml.writeValueAsString(document));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(file, text.toString(), counter);
    }

    private static void writeEdges(Path file, List<CallEdge> edges, Counter counter) {
        StringBuilder text = new StringBuilder(CallEdge.HEADER).append('\n');
        edges.forEach(e -> text.append(e.toCsvRow()).append('\n'));
        write(file, text.toString(), counter);
    }

    private static void write(Path file, String text, Counter counter) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            counter.files++;
        } catch (IOException e) {
            throw new TopologyException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static void prepare(Path out) {
        if (Files.exists(out)) {
            if (!Files.isDirectory(out)) {
                throw new TopologyException(out + ": exists and is not a directory");
            }
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new TopologyException(out + ": directory is not empty; generate into a new or empty one");
                }
            } catch (IOException e) {
                throw new TopologyException(out + ": cannot list: " + e.getMessage(), e);
            }
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new TopologyException(out + ": cannot create: " + e.getMessage(), e);
        }
    }

    private static final class Counter {
        int namespaces;
        int services;
        int workloads;
        int pods;
        int sidecars;
        int edges;
        int files;
    }
}
