package dev.meshpilot.core.model;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@code security.istio.io} PeerAuthentication: which mutual TLS a workload's sidecar accepts. Without a selector
 * it is the namespace's policy, or the mesh's in the root namespace; with one it applies to the selected workloads
 * of its namespace, optionally per workload port ({@code portLevelMtls}, keyed by the port the workload listens on).
 *
 * @param selector      {@code selector.matchLabels}; empty (absent or without labels) for a mesh or namespace policy
 * @param mode          {@code mtls.mode}; {@link Mode#UNSET} when absent (inherits from the enclosing level)
 * @param portLevelMtls {@code portLevelMtls}: workload port to mode, sorted by port
 */
public record PeerAuthenticationResource(ObjectMeta meta, Map<String, String> selector, Mode mode,
                                         Map<Integer, Mode> portLevelMtls) {

    /** Istio's {@code PeerAuthentication.MutualTLS.Mode}. */
    public enum Mode { UNSET, DISABLE, PERMISSIVE, STRICT }

    public PeerAuthenticationResource {
        Objects.requireNonNull(meta, "meta");
        selector = Map.copyOf(selector == null ? Map.of() : selector);
        Objects.requireNonNull(mode, "mode");
        portLevelMtls = java.util.Collections.unmodifiableMap(new TreeMap<>(portLevelMtls == null ? Map.of()
                : portLevelMtls));
    }

    public ConfigKey key() {
        return ConfigKey.of(ConfigKey.Kind.PEER_AUTHENTICATION, meta.namespace(), meta.name());
    }

    /** True for a mesh or namespace level policy (no selector labels, as Istio decides). */
    public boolean namespaceWide() {
        return selector.isEmpty();
    }

    /** True when this is a workload-level policy that selects a pod with these labels. */
    public boolean selects(Map<String, String> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    /** The label selector, or empty for a namespace-wide policy. */
    public Optional<Map<String, String>> workloadSelector() {
        return selector.isEmpty() ? Optional.empty() : Optional.of(selector);
    }
}
