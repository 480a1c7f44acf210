package dev.meshpilot.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code networking.istio.io} DestinationRule: host, traffic policy, subsets, exportTo and an optional workload
 * selector.
 *
 * @param exportTo as declared; empty means the mesh default ({@link MeshConfig#defaultDestinationRuleExportTo()})
 */
public record DestinationRuleResource(ObjectMeta meta, String host, List<Subset> subsets, List<String> exportTo,
                                      Optional<Map<String, String>> workloadSelector,
                                      Optional<TrafficPolicy> trafficPolicy) {

    /** A rule without a traffic policy. */
    public DestinationRuleResource(ObjectMeta meta, String host, List<Subset> subsets, List<String> exportTo,
                                   Optional<Map<String, String>> workloadSelector) {
        this(meta, host, subsets, exportTo, workloadSelector, Optional.empty());
    }

    public DestinationRuleResource {
        trafficPolicy = trafficPolicy == null ? Optional.empty() : trafficPolicy;
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(host, "host");
        subsets = List.copyOf(subsets == null ? List.of() : subsets);
        exportTo = List.copyOf(exportTo == null ? List.of() : exportTo);
        workloadSelector = workloadSelector == null ? Optional.empty() : workloadSelector.map(Map::copyOf);
    }

    public ConfigKey key() {
        return ConfigKey.of(ConfigKey.Kind.DESTINATION_RULE, meta.namespace(), meta.name());
    }

    /** A rule like this one with other subsets and traffic policy (merging rules for one host). */
    public DestinationRuleResource with(List<Subset> newSubsets, Optional<TrafficPolicy> newPolicy) {
        return new DestinationRuleResource(meta, host, newSubsets, exportTo, workloadSelector, newPolicy);
    }

    /** A named subset, the pod labels it selects and its own traffic policy. */
    public record Subset(String name, Map<String, String> labels, Optional<TrafficPolicy> trafficPolicy) {
        /** A subset without its own traffic policy. */
        public Subset(String name, Map<String, String> labels) {
            this(name, labels, Optional.empty());
        }

        public Subset {
            Objects.requireNonNull(name, "name");
            labels = Map.copyOf(labels == null ? Map.of() : labels);
            trafficPolicy = trafficPolicy == null ? Optional.empty() : trafficPolicy;
        }
    }
}
