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
 * @param fallbackServices services of the upper bound (what Istio's rules show the proxy) that a learned scope left
 *                         out; generation keeps a logged path to them so narrowing never breaks a call. Empty for
 *                         every scope that learning did not narrow.
 */
public record ProxyScope(ScopeKey key, String name, String proxyNamespace, Optional<SidecarResource> sidecar,
                         List<EgressScope> egressListeners, List<MeshService> services,
                         List<VirtualServiceResource> virtualServices,
                         Map<String, DestinationRuleResource> destinationRules,
                         OutboundTrafficPolicy outboundTrafficPolicy, Set<ConfigKey> dependencies,
                         List<MeshService> fallbackServices) {

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
        dependencies = dependencies instanceof DependencySet ? dependencies : Set.copyOf(dependencies);
        fallbackServices = List.copyOf(fallbackServices == null ? List.of() : fallbackServices);
    }

    /** A scope that learning did not narrow (no fallback services). */
    public ProxyScope(ScopeKey key, String name, String proxyNamespace, Optional<SidecarResource> sidecar,
                      List<EgressScope> egressListeners, List<MeshService> services,
                      List<VirtualServiceResource> virtualServices,
                      Map<String, DestinationRuleResource> destinationRules,
                      OutboundTrafficPolicy outboundTrafficPolicy, Set<ConfigKey> dependencies) {
        this(key, name, proxyNamespace, sidecar, egressListeners, services, virtualServices, destinationRules,
                outboundTrafficPolicy, dependencies, List.of());
    }

    /** This scope with the upper-bound services that learning left out. */
    public ProxyScope withFallbackServices(List<MeshService> fallback) {
        return new ProxyScope(key, name, proxyNamespace, sidecar, egressListeners, services, virtualServices,
                destinationRules, outboundTrafficPolicy, dependencies, fallback);
    }

    /** True if this key is in the scope's dependency set (R48). */
    public boolean dependsOn(ConfigKey changed) {
        return dependencies.contains(changed);
    }

    /**
     * The scope part of Istio's push filter (R47): keys of the kinds a scope tracks (services, endpoints,
     * VirtualServices, DestinationRules, Sidecars) are relevant iff they are in the dependency set; any other kind
     * (namespaces, workloads, mesh config) is conservatively relevant. The caller adds the rest of R47: forced
     * pushes, the previous scope's dependencies, and changes to the proxy's own services.
     */
    public boolean isRelevant(ConfigKey changed) {
        return switch (changed.kind()) {
            case SERVICE, ENDPOINTS, VIRTUAL_SERVICE, DESTINATION_RULE, SIDECAR -> dependencies.contains(changed);
            default -> true;
        };
    }

    /** The scope's service for a hostname (after merging, R27), if any. */
    public Optional<MeshService> service(String hostname) {
        for (MeshService s : services) {
            if (s.hostname().equals(hostname)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The DestinationRule this scope applies to a hostname (R30), if any. */
    public Optional<DestinationRuleResource> destinationRule(String hostname) {
        return Optional.ofNullable(destinationRules.get(hostname));
    }

    /**
     * The egress listener that serves an outbound port (R26): the first listener with that port number (for port 0,
     * the first whose {@code bind} equals {@code bind}), else the port-less catch-all; empty if neither exists.
     */
    public Optional<EgressScope> egressListenerFor(int port, String bind) {
        for (EgressScope e : egressListeners) {
            if (e.listener().port().isEmpty()) {
                return Optional.of(e);
            }
            if (e.listener().port().get().number() == port) {
                if (port != 0 || e.listener().bind().equals(bind == null ? "" : bind)) {
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
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
