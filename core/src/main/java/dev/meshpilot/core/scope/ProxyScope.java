package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.VirtualServiceResource;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one proxy may see (Istio's SidecarScope): the Sidecar that applied (or the synthesized
 * {@code default-sidecar}), per egress listener the services and VirtualServices it imported, the union of
 * services that drives clusters (R27), the DestinationRule that applies to each scope service (R30), the
 * outbound traffic policy (R31) and the config keys the scope depends on (R48). Immutable; proxies with the
 * same {@link ScopeKey} share one instance.
 *
 * @param name            the Sidecar's name, or {@code default-sidecar}
 * @param proxyNamespace  the namespace the scope was evaluated for (a root default is evaluated as if it lived here)
 * @param sidecar         the Sidecar resource used, empty for the synthesized default
 * @param services        the union of imported services in scope order, ports already narrowed
 * @param destinationRules scope service hostname to the DestinationRule that applies to it from this namespace
 */
public record ProxyScope(ScopeKey key, String name, String proxyNamespace, Optional<SidecarResource> sidecar,
                         List<EgressScope> egressListeners, List<MeshService> services,
                         List<VirtualServiceResource> virtualServices,
                         Map<String, DestinationRuleResource> destinationRules,
                         OutboundTrafficPolicy outboundTrafficPolicy, Set<ConfigKey> dependencies) {

    public static final String DEFAULT_SIDECAR_NAME = "default-sidecar";

    public ProxyScope {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(proxyNamespace, "proxyNamespace");
        sidecar = sidecar == null ? Optional.empty() : sidecar;
        egressListeners = List.copyOf(egressListeners);
        services = List.copyOf(services);
        virtualServices = List.copyOf(virtualServices);
        destinationRules = Map.copyOf(destinationRules);
        Objects.requireNonNull(outboundTrafficPolicy, "outboundTrafficPolicy");
        dependencies = Set.copyOf(dependencies);
    }

    /** True if a change to this key concerns proxies holding this scope (R47/R48). */
    public boolean dependsOn(ConfigKey changed) {
        return dependencies.contains(changed);
    }

    /**
     * One egress listener of the scope with what it imported, un-merged (R28): listeners and routes are built
     * from these, clusters from {@link ProxyScope#services()}.
     */
    public record EgressScope(SidecarResource.EgressListener listener, List<MeshService> services,
                              List<VirtualServiceResource> virtualServices) {
        public EgressScope {
            Objects.requireNonNull(listener, "listener");
            services = List.copyOf(services);
            virtualServices = List.copyOf(virtualServices);
        }
    }
}
