package dev.meshpilot.kube.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshpilot.core.registry.MeshObjects;

import static org.assertj.core.api.Assertions.assertThat;

/** Converts one YAML object and returns what it became, failing the test on anything else. */
final class ConverterTestSupport {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConverterTestSupport() {
    }

    static JsonNode tree(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static MeshObjects converted(KubeObjectConverter converter, String yaml) {
        Conversion conversion = converter.convert(tree(yaml));
        assertThat(conversion).isInstanceOf(Conversion.Converted.class);
        return ((Conversion.Converted) conversion).objects();
    }

    static MeshObjects converted(String yaml) {
        return converted(new KubeObjectConverter(), yaml);
    }

    static ConversionProblem failure(String yaml) {
        Conversion conversion = new KubeObjectConverter().convert(tree(yaml));
        assertThat(conversion).isInstanceOf(Conversion.Failed.class);
        return ((Conversion.Failed) conversion).problem();
    }
}
