package dev.meshpilot.kube.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshpilot.core.model.LabelSelector;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.registry.MeshObjects;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code istio} ConfigMap of the system namespace: key {@code mesh} holds MeshConfig as YAML. We read
 * rootNamespace (default: the system namespace), the three export defaults, outboundTrafficPolicy.mode and
 * discoverySelectors; other MeshConfig fields are many and left alone.
 */
final class MeshConfigConverter implements KindConverter {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String systemNamespace;

    MeshConfigConverter(String systemNamespace) {
        this.systemNamespace = systemNamespace;
    }

    /** True for the ConfigMap this converter reads; other ConfigMaps are not mesh input. */
    boolean accepts(ObjectHeader header) {
        return header.meta().name().equals("istio") && header.meta().namespace().equals(systemNamespace);
    }

    @Override
    public void convert(ObjectHeader header, Field root, MeshObjects.Builder out) {
        Field data = root.get("data").requireObjectIfPresent();
        Field meshField = data.get("mesh");
        MeshConfig defaults = MeshConfig.defaultsWithRoot(systemNamespace);
        if (!meshField.isPresent()) {
            out.meshConfig(defaults);
            return;
        }
        String text = meshField.optString().orElseThrow();
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw meshField.error("malformed YAML: " + e.getOriginalMessage());
        }
        Field mesh = prefixed(tree, meshField.path()).requireObjectIfPresent();
        String rootNamespace = mesh.get("rootNamespace").optString().filter(s -> !s.isEmpty()).orElse(systemNamespace);
        List<String> serviceExport = exportDefault(mesh.get("defaultServiceExportTo"), defaults.defaultServiceExportTo());
        List<String> vsExport = exportDefault(mesh.get("defaultVirtualServiceExportTo"),
                defaults.defaultVirtualServiceExportTo());
        List<String> drExport = exportDefault(mesh.get("defaultDestinationRuleExportTo"),
                defaults.defaultDestinationRuleExportTo());
        Field policy = mesh.get("outboundTrafficPolicy").requireObjectIfPresent();
        OutboundTrafficPolicy mode = SidecarConverter.outboundTrafficPolicy(policy.get("mode"));
        List<LabelSelector> selectors = new ArrayList<>();
        for (Field selector : mesh.get("discoverySelectors").list()) {
            selectors.add(Selectors.labelSelector(selector.requiredObject()));
        }
        out.meshConfig(new MeshConfig(rootNamespace, serviceExport, vsExport, drExport, mode, selectors,
                defaults.domainSuffix()));
    }

    private static List<String> exportDefault(Field field, List<String> fallback) {
        if (!field.isPresent()) {
            return fallback;
        }
        List<String> values = field.stringList();
        List<Field> items = field.list();
        for (int i = 0; i < values.size(); i++) {
            ExportTo.checkValue(items.get(i), values.get(i));
        }
        return values.isEmpty() ? fallback : values;
    }

    /** A field tree whose paths read {@code data.mesh: discoverySelectors[0]...} so users find the spot. */
    private static Field prefixed(JsonNode tree, String path) {
        return Field.rootAt(tree, path + ":");
    }
}
