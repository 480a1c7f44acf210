package dev.meshpilot.insight.footprint;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.insight.model.ConfigCounts;
import dev.meshpilot.insight.model.MemoryEstimate;

import java.util.Objects;
import java.util.Optional;

/**
 * What one proxy holds and what it is estimated to cost: the counts and serialized bytes of the resources it is
 * served, and the Envoy memory estimate (absent for proxyless gRPC clients, to which the Envoy model does not apply).
 *
 * @param proxyId   {@code POD.NS} of the proxy measured (for a workload row, its representative pod)
 * @param namespace the proxy's namespace
 * @param scopeName the Sidecar that scoped it ({@code default-sidecar} when none applied)
 */
public record ProxyFootprint(String proxyId, String namespace, ProxyKind kind, String scopeName, ConfigCounts counts,
                             XdsBytes bytes, Optional<MemoryEstimate> estimate) {

    public ProxyFootprint {
        Objects.requireNonNull(proxyId, "proxyId");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(kind, "kind");
        scopeName = scopeName == null ? "" : scopeName;
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(bytes, "bytes");
        estimate = estimate == null ? Optional.empty() : estimate;
    }

    /** Estimated allocated bytes, 0 when no estimate applies. */
    public long allocatedBytes() {
        return estimate.map(MemoryEstimate::allocatedBytes).orElse(0L);
    }
}
