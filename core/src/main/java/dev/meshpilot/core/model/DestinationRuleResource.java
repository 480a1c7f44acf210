package dev.meshpilot.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code networking.istio.io} DestinationRule: host, subsets, exportTo and an optional workload selector.
 *
 * @param exportTo as declared; empty means the mesh default ({@link MeshConfig#defaultDestinationRuleExportTo()})
 */
public record DestinationRuleResource(ObjectMeta meta, String host, List<Subset> subsets, List<String> exportTo,
                                      Optional<Map<String, String>> workloadSelector) {

    public DestinationRuleResource {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(host, "host");
        subsets = List.copyOf(subsets == null ? List.of() : subsets);
        exportTo = List.copyOf(exportTo == null ? List.of() : exportTo);
        workloadSelector = workloadSelector == null ? Optional.empty() : workloadSelector.map(Map::copyOf);
    }

    public ConfigKey key() {
        return ConfigKey.of(ConfigKey.Kind.DESTINATION_RULE, meta.namespace(), meta.name());
    }

    /** A named subset and the pod labels it selects. */
    public record Subset(String name, Map<String, String> labels) {
        public Subset {
            Objects.requireNonNull(name, "name");
            labels = Map.copyOf(labels == null ? Map.of() : labels);
        }
    }
}
