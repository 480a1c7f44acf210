package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.ConfigKey;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a scope depends on besides the mesh itself: the proxy namespace, the Sidecar that applies (empty
 * for the synthesized default) and the workload-selecting DestinationRules that select the proxy. Proxies with
 * equal keys get the same {@link ProxyScope} from the same snapshot.
 */
public record ScopeKey(String proxyNamespace, Optional<ConfigKey> sidecar, Set<ConfigKey> selectingDestinationRules) {
    public ScopeKey {
        Objects.requireNonNull(proxyNamespace, "proxyNamespace");
        sidecar = sidecar == null ? Optional.empty() : sidecar;
        selectingDestinationRules = Set.copyOf(selectingDestinationRules == null ? Set.of() : selectingDestinationRules);
    }
}
