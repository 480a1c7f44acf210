package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.ConfigKey;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything a scope depends on besides the mesh itself: the proxy namespace, the Sidecar that applies (empty
 * for the synthesized default), the workload-selecting DestinationRules that select the proxy and, for a scope that
 * learning narrowed, the egress hosts ({@code ns/fqdn}) it was narrowed to. Proxies with equal keys get the same
 * {@link ProxyScope} from the same snapshot, so workloads with equal learned sets share one scope.
 *
 * @param learnedHosts sorted and distinct; empty for a scope learning did not narrow (see {@link #learned()})
 * @param learned      true for a scope narrowed to {@code learnedHosts} (which may then be empty: nothing learned)
 */
public record ScopeKey(String proxyNamespace, Optional<ConfigKey> sidecar, Set<ConfigKey> selectingDestinationRules,
                       boolean learned, List<String> learnedHosts) {
    public ScopeKey {
        Objects.requireNonNull(proxyNamespace, "proxyNamespace");
        sidecar = sidecar == null ? Optional.empty() : sidecar;
        selectingDestinationRules = Set.copyOf(selectingDestinationRules == null ? Set.of() : selectingDestinationRules);
        learnedHosts = List.copyOf(new TreeSet<>(learnedHosts == null ? List.of() : learnedHosts));
        if (!learned && !learnedHosts.isEmpty()) {
            throw new IllegalArgumentException("learned hosts on a scope key that is not learned");
        }
    }

    /** The key of a scope Istio's rules alone decide. */
    public ScopeKey(String proxyNamespace, Optional<ConfigKey> sidecar, Set<ConfigKey> selectingDestinationRules) {
        this(proxyNamespace, sidecar, selectingDestinationRules, false, List.of());
    }

    /** This key narrowed to the given egress hosts. */
    public ScopeKey narrowedTo(List<String> hosts) {
        return new ScopeKey(proxyNamespace, sidecar, selectingDestinationRules, true, hosts);
    }
}
