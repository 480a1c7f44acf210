package dev.meshpilot.core.scope;

import java.util.Map;
import java.util.Objects;

/**
 * Who a proxy is, as scoping needs it: its id ({@code POD.NS}), namespace and workload labels, and its kind.
 * Built from an xDS node (R1 of the scoping spec) or from a pod of the registry.
 */
public record ProxyIdentity(String podName, String namespace, Map<String, String> labels, String ip, ProxyKind kind) {

    /**
     * Which generator serves the proxy. Istio's gateways and waypoints are out of scope for now.
     * <ul>
     *   <li>{@link #SIDECAR}: an istio-proxy sidecar (Envoy built with Istio's extensions, fed by istio-agent, which
     *       serves SDS certificates); its node carries {@code ISTIO_VERSION} metadata. Gets istiod's shapes, Istio's
     *       filters included.</li>
     *   <li>{@link #ENVOY}: an upstream Envoy sidecar. Same Istio layout (listeners, clusters, routes), but only
     *       upstream Envoy extensions: never a filter or typed config it would NACK.</li>
     *   <li>{@link #PROXYLESS_GRPC}: a gRPC client with its own xDS client (api_listeners, no Envoy filters).</li>
     * </ul>
     */
    public enum ProxyKind {
        SIDECAR, ENVOY, PROXYLESS_GRPC;

        /** True for the two Envoy kinds (istio-proxy and upstream Envoy): the Envoy sidecar layout applies. */
        public boolean isEnvoy() {
            return this != PROXYLESS_GRPC;
        }

        /** True when the proxy runs Istio's Envoy extensions ({@code istio.*} filters, Istio typed configs). */
        public boolean hasIstioExtensions() {
            return this == SIDECAR;
        }
    }

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
