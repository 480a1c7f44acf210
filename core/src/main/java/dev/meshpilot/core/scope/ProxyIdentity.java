package dev.meshpilot.core.scope;

import java.util.Map;
import java.util.Objects;

/**
 * Who a proxy is, as scoping needs it: its id ({@code POD.NS}), namespace and workload labels, and its kind.
 * Built from an xDS node (R1 of the scoping spec) or from a pod of the registry.
 */
public record ProxyIdentity(String podName, String namespace, Map<String, String> labels, String ip, ProxyKind kind) {

    /** Which generator serves the proxy. Istio's gateways and waypoints are out of scope for now. */
    public enum ProxyKind { SIDECAR, PROXYLESS_GRPC }

    public ProxyIdentity {
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(namespace, "namespace");
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        ip = ip == null ? "" : ip;
        Objects.requireNonNull(kind, "kind");
    }

    /** {@code POD.NS}. */
    public String proxyId() {
        return podName + "." + namespace;
    }
}
