package dev.meshpilot.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of Istio's MeshConfig that shape scoping, read from the {@code istio} ConfigMap (key {@code mesh})
 * in the control plane's namespace. Defaults are Istio's.
 */
public record MeshConfig(String rootNamespace, List<String> defaultServiceExportTo,
                         List<String> defaultVirtualServiceExportTo, List<String> defaultDestinationRuleExportTo,
                         OutboundTrafficPolicy outboundTrafficPolicy, List<LabelSelector> discoverySelectors,
                         String domainSuffix) {

    public static final String DEFAULT_ROOT_NAMESPACE = "istio-system";
    public static final MeshConfig DEFAULT = new MeshConfig(DEFAULT_ROOT_NAMESPACE, List.of("*"), List.of("*"),
            List.of("*"), OutboundTrafficPolicy.ALLOW_ANY, List.of(), "cluster.local");

    public MeshConfig {
        Objects.requireNonNull(rootNamespace, "rootNamespace");
        defaultServiceExportTo = List.copyOf(defaultServiceExportTo);
        defaultVirtualServiceExportTo = List.copyOf(defaultVirtualServiceExportTo);
        defaultDestinationRuleExportTo = List.copyOf(defaultDestinationRuleExportTo);
        Objects.requireNonNull(outboundTrafficPolicy, "outboundTrafficPolicy");
        discoverySelectors = List.copyOf(discoverySelectors);
        Objects.requireNonNull(domainSuffix, "domainSuffix");
    }

    /** The default configuration with another root namespace (used when no ConfigMap says otherwise). */
    public static MeshConfig defaultsWithRoot(String rootNamespace) {
        return new MeshConfig(rootNamespace, DEFAULT.defaultServiceExportTo, DEFAULT.defaultVirtualServiceExportTo,
                DEFAULT.defaultDestinationRuleExportTo, DEFAULT.outboundTrafficPolicy, List.of(), DEFAULT.domainSuffix);
    }

    /** True when discovery selectors admit a namespace with these labels (no selectors admit all). */
    public boolean selectsNamespace(Map<String, String> namespaceLabels) {
        if (discoverySelectors.isEmpty()) {
            return true;
        }
        for (LabelSelector selector : discoverySelectors) {
            if (selector.matches(namespaceLabels)) {
                return true;
            }
        }
        return false;
    }

    public MeshConfig withOutboundTrafficPolicy(OutboundTrafficPolicy policy) {
        return new MeshConfig(rootNamespace, defaultServiceExportTo, defaultVirtualServiceExportTo,
                defaultDestinationRuleExportTo, policy, discoverySelectors, domainSuffix);
    }
}
