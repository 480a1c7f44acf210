package dev.meshpilot.insight.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads a directory of topology folders ({@code services.yaml}, {@code workloads.yaml}, {@code edges.csv} each), in
 * folder-name order. Every folder must keep its objects in one namespace, so a copy can rename it as a whole.
 */
public final class TopologyReader {

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    /** All topology folders under {@code root} (those holding a {@code services.yaml}), sorted by name. */
    public List<Topology> readAll(Path root) {
        if (!Files.isDirectory(root)) {
            throw new TopologyException(root + ": not a directory of topologies");
        }
        TreeSet<Path> folders = new TreeSet<>();
        try (Stream<Path> children = Files.list(root)) {
            children.filter(p -> Files.isRegularFile(p.resolve("services.yaml"))).forEach(folders::add);
        } catch (IOException e) {
            throw new TopologyException(root + ": cannot list: " + e.getMessage(), e);
        }
        if (folders.isEmpty()) {
            throw new TopologyException(root + ": no topology folder (a folder with services.yaml) found");
        }
        List<Topology> out = new ArrayList<>();
        for (Path folder : folders) {
            out.add(read(folder));
        }
        return out;
    }

    /** One topology folder. */
    public Topology read(Path folder) {
        List<ObjectNode> services = documents(folder.resolve("services.yaml"));
        Path workloadFile = folder.resolve("workloads.yaml");
        List<ObjectNode> workloads = Files.exists(workloadFile) ? documents(workloadFile) : List.of();
        Path edgeFile = folder.resolve("edges.csv");
        List<CallEdge> edges = Files.exists(edgeFile) ? edges(edgeFile) : List.of();
        String namespace = singleNamespace(folder, services, workloads);
        return new Topology(folder.getFileName().toString(), namespace, services, workloads, edges);
    }

    private List<ObjectNode> documents(Path file) {
        List<ObjectNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
            int index = 0;
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    index++;
                    continue;
                }
                if (!(doc instanceof ObjectNode object)) {
                    throw new TopologyException(file + ": document " + index + " is not a mapping");
                }
                out.add(object);
                index++;
            }
        } catch (IOException e) {
            throw new TopologyException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        return out;
    }

    private static List<CallEdge> edges(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new TopologyException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<CallEdge> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || (i == 0 && line.startsWith("source_workload"))) {
                continue;
            }
            out.add(CallEdge.parse(line, file + " line " + (i + 1)));
        }
        return out;
    }

    private static String singleNamespace(Path folder, List<ObjectNode> services, List<ObjectNode> workloads) {
        TreeSet<String> namespaces = new TreeSet<>();
        Stream.concat(services.stream(), workloads.stream())
                .forEach(o -> namespaces.add(o.path("metadata").path("namespace").asText("default")));
        if (namespaces.size() != 1) {
            throw new TopologyException(folder + ": objects span namespaces " + namespaces
                    + "; a topology must live in one namespace to be copied");
        }
        return namespaces.first();
    }
}
