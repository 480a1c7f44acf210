package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.registry.MeshObjects;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code networking.istio.io} DestinationRule: host, traffic policy ({@link TrafficPolicyConverter}), subsets with
 * their own policies, exportTo, workloadSelector. Unknown fields are errors.
 */
final class DestinationRuleConverter implements KindConverter {

    private static final Set<String> SPEC = Set.of("host", "trafficPolicy", "subsets", "exportTo", "workloadSelector");
    private static final Set<String> SUBSET = Set.of("name", "labels", "trafficPolicy");
    private static final Set<String> WORKLOAD_SELECTOR = Set.of("matchLabels");

    @Override
    public void convert(ObjectHeader header, Field root, MeshObjects.Builder out) {
        Field spec = root.get("spec").requiredObject().object(SPEC);
        String host = spec.get("host").string();
        if (!Names.isWildcardDnsName(host)) {
            throw spec.get("host").error("\"" + host + "\" is not a valid host name");
        }
        Optional<dev.meshpilot.core.model.TrafficPolicy> policy = TrafficPolicyConverter.read(spec.get("trafficPolicy"));
        List<DestinationRuleResource.Subset> subsets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Field subset : spec.get("subsets").list()) {
            subset.requiredObject().object(SUBSET);
            String name = subset.get("name").string();
            if (!names.add(name)) {
                throw subset.get("name").error("duplicate subset name \"" + name + "\"");
            }
            subsets.add(new DestinationRuleResource.Subset(name, subset.get("labels").stringMap(),
                    TrafficPolicyConverter.read(subset.get("trafficPolicy"))));
        }
        Field selectorField = spec.get("workloadSelector").object(WORKLOAD_SELECTOR);
        Optional<Map<String, String>> selector = selectorField.isPresent()
                ? Optional.of(selectorField.get("matchLabels").stringMap()) : Optional.empty();
        List<String> exportTo = ExportTo.read(spec.get("exportTo"), header.meta().namespace(), false);
        out.destinationRule(new DestinationRuleResource(header.meta(), host, subsets, exportTo, selector, policy));
    }
}
