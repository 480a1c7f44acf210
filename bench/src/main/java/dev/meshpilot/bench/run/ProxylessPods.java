package dev.meshpilot.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns a generated mesh's workloads into proxyless gRPC workloads the way Istio users declare them: each
 * Deployment's and StatefulSet's pod template gets {@code inject.istio.io/templates: grpc-agent}, the injection
 * template of istio-agent without Envoy. The control plane can then tell, before any client connects, which kind of
 * proxy each pod runs (its warm start generates for proxyless clients, as java-control-plane's peer does before it
 * reports ready).
 */
final class ProxylessPods {
    static final String TEMPLATES_ANNOTATION = "inject.istio.io/templates";
    static final String GRPC_AGENT = "grpc-agent";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private ProxylessPods() {
    }

    /** Annotates every workload's pod template in the YAML files under {@code dir}; returns how many. */
    static int annotate(Path dir) throws IOException {
        int annotated = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        for (Path file : files) {
            List<JsonNode> documents;
            try (var parser = YAML.getFactory().createParser(file.toFile())) {
                documents = YAML.readValues(parser, JsonNode.class).readAll();
            }
            int before = annotated;
            for (JsonNode document : documents) {
                String kind = document.path("kind").asText();
                if ((kind.equals("Deployment") || kind.equals("StatefulSet"))
                        && document.path("spec").path("template") instanceof ObjectNode template) {
                    ObjectNode metadata = template.has("metadata") ? (ObjectNode) template.get("metadata")
                            : template.putObject("metadata");
                    ObjectNode annotations = metadata.has("annotations") ? (ObjectNode) metadata.get("annotations")
                            : metadata.putObject("annotations");
                    annotations.put(TEMPLATES_ANNOTATION, GRPC_AGENT);
                    annotated++;
                }
            }
            if (annotated > before) {
                StringBuilder text = new StringBuilder();
                for (JsonNode document : documents) {
                    if (!text.isEmpty()) {
                        text.append("---\n");
                    }
                    text.append(YAML.writeValueAsString(document));
                }
                Files.writeString(file, text);
            }
        }
        return annotated;
    }
}
