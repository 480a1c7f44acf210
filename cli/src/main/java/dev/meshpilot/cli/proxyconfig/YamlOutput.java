package dev.meshpilot.cli.proxyconfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON (proto3 or Jackson) as YAML for {@code -o yaml}. */
final class YamlOutput {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private YamlOutput() {
    }

    static String yaml(String json) {
        try {
            return YAML.writeValueAsString(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("could not convert JSON to YAML", e);
        }
    }
}
