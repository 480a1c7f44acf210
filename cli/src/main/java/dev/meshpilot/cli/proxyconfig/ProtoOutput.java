package dev.meshpilot.cli.proxyconfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.Message;
import dev.meshpilot.xds.json.XdsJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Proto messages as JSON arrays and YAML for {@code -o json|yaml}. */
final class ProtoOutput {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private ProtoOutput() {
    }

    static String jsonArray(List<? extends Message> messages) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < messages.size(); i++) {
            out.append(i == 0 ? "\n" : ",\n").append("  ").append(XdsJson.print(messages.get(i)).replace("\n", "\n  "));
        }
        return out.append(messages.isEmpty() ? "]" : "\n]").append('\n').toString();
    }

    static String yaml(String json) {
        try {
            return YAML.writeValueAsString(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("could not convert JSON to YAML", e);
        }
    }
}
