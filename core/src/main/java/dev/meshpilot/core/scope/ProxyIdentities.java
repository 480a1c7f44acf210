package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@link ProxyIdentity}s (R1): from an xDS node (Istio id {@code TYPE~IP~POD.NS~NS.svc.DOMAIN}, metadata and
 * user agent) or from a pod of the registry.
 */
public final class ProxyIdentities {

    /** Node metadata key holding the proxy namespace. */
    public static final String NAMESPACE = "NAMESPACE";
    /** Node metadata key holding the pod name. */
    public static final String NAME = "NAME";
    /** Node metadata key naming the generator; {@code grpc} means a proxyless gRPC client. */
    public static final String GENERATOR = "GENERATOR";
    /** Node metadata key istio-agent sets on an istio-proxy; its presence makes an Envoy node a SIDECAR. */
    public static final String ISTIO_VERSION = "ISTIO_VERSION";
    /**
     * Pod annotation naming the injection templates istiod's injector applies; {@code grpc-agent} (or
     * {@code grpc-simple}) makes the pod a proxyless gRPC client with istio-agent and no Envoy.
     */
    public static final String INJECT_TEMPLATES = "inject.istio.io/templates";
    /** Pod label (or, as older meshes write it, annotation) that turns sidecar injection off with {@code "false"}. */
    public static final String SIDECAR_INJECT = "sidecar.istio.io/inject";

    private ProxyIdentities() {
    }

    /**
     * The identity of a connecting proxy.
     *
     * @param nodeId        {@code TYPE~IP~ID~DNSDOMAIN}; TYPE must be {@code sidecar} (gateways and waypoints are not
     *                      served)
     * @param metadata      string metadata ({@code NAMESPACE}, {@code NAME}, {@code GENERATOR},
     *                      {@code ISTIO_VERSION}); may be empty
     * @param nodeLabels    the {@code LABELS} metadata map; may be empty
     * @param userAgentName the xDS {@code user_agent_name}; a gRPC client makes the proxy PROXYLESS_GRPC, any other
     *                      node is an Envoy: SIDECAR (istio-proxy) with {@code ISTIO_VERSION} metadata, else ENVOY
     * @param snapshot      the registry; when it knows the pod, its labels replace the node's declared ones
     * @throws InvalidProxyIdentityException when the id is malformed or names no namespace
     */
    public static ProxyIdentity fromNode(String nodeId, Map<String, String> metadata, Map<String, String> nodeLabels,
                                         String userAgentName, MeshSnapshot snapshot) {
        if (nodeId == null || nodeId.isBlank()) {
            throw new InvalidProxyIdentityException("node id is empty; expected TYPE~IP~POD.NAMESPACE~NAMESPACE.svc.DOMAIN");
        }
        String[] parts = nodeId.split("~", -1);
        if (parts.length != 4) {
            throw new InvalidProxyIdentityException("node id '" + nodeId + "' has " + parts.length
                    + " '~'-separated parts; expected 4: TYPE~IP~POD.NAMESPACE~NAMESPACE.svc.DOMAIN");
        }
        String type = parts[0];
        if (!type.equals("sidecar")) {
            throw new InvalidProxyIdentityException("node id '" + nodeId + "' has type '" + type + "'; "
                    + (type.equals("router") || type.equals("waypoint")
                    ? "gateways and waypoints are not supported" : "valid types are sidecar, router, waypoint"));
        }
        String ip = parts[1];
        String id = parts[2];
        if (id.isEmpty()) {
            throw new InvalidProxyIdentityException("node id '" + nodeId + "' has an empty ID part; expected POD.NAMESPACE");
        }
        Map<String, String> meta = metadata == null ? Map.of() : metadata;
        String namespace = nonEmpty(meta.get(NAMESPACE))
                .or(() -> firstLabel(parts[3]))
                .or(() -> idNamespace(id))
                .orElseThrow(() -> new InvalidProxyIdentityException("node id '" + nodeId
                        + "' names no namespace: metadata NAMESPACE is empty and the DNS domain part is empty"));
        String podName = nonEmpty(meta.get(NAME)).orElseGet(() -> podNameFrom(id, namespace));

        Optional<WorkloadInstance> pod = snapshot == null ? Optional.empty() : snapshot.findWorkload(podName, namespace);
        // The registry's labels are the pod's labels: a node may declare labels only for a pod the registry does not
        // know (as istiod does), never add to or override a known pod's.
        Map<String, String> labels = pod.<Map<String, String>>map(WorkloadInstance::labels)
                .orElseGet(() -> nodeLabels == null ? Map.of() : nodeLabels);
        if (ip.isEmpty() && pod.isPresent()) {
            ip = pod.get().ip();
        }
        return new ProxyIdentity(podName, namespace, labels, ip, kindOf(meta, userAgentName));
    }

    /**
     * The generator a node asks for: a gRPC user agent or {@code GENERATOR: grpc} is a proxyless gRPC client; any
     * other node is an Envoy, an istio-proxy ({@link ProxyKind#SIDECAR}) when istio-agent set {@code ISTIO_VERSION},
     * else an upstream Envoy ({@link ProxyKind#ENVOY}).
     */
    public static ProxyKind kindOf(Map<String, String> metadata, String userAgentName) {
        Map<String, String> meta = metadata == null ? Map.of() : metadata;
        if (isGrpc(userAgentName) || "grpc".equalsIgnoreCase(meta.getOrDefault(GENERATOR, ""))) {
            return ProxyKind.PROXYLESS_GRPC;
        }
        return nonEmpty(meta.get(ISTIO_VERSION)).isPresent() ? ProxyKind.SIDECAR : ProxyKind.ENVOY;
    }

    /** The identity of a pod of the registry, as if its istio-proxy sidecar had connected. */
    public static ProxyIdentity fromWorkload(WorkloadInstance pod) {
        return new ProxyIdentity(pod.name(), pod.namespace(), pod.labels(), pod.ip(), ProxyKind.SIDECAR);
    }

    /**
     * The proxy Istio's injector gives this pod: none when the pod opts out ({@code sidecar.istio.io/inject: "false"}
     * as a label or annotation), a proxyless gRPC client when its injection templates name a gRPC template
     * ({@code inject.istio.io/templates: grpc-agent}), else an istio-proxy sidecar. What a warm start generates
     * ahead; a connecting proxy's own node decides what it is served.
     */
    public static Optional<ProxyIdentity> asInjected(WorkloadInstance pod) {
        Map<String, String> annotations = pod.meta().annotations();
        if ("false".equalsIgnoreCase(pod.labels().getOrDefault(SIDECAR_INJECT, "").trim())
                || "false".equalsIgnoreCase(annotations.getOrDefault(SIDECAR_INJECT, "").trim())) {
            return Optional.empty();
        }
        boolean grpcTemplate = false;
        for (String template : annotations.getOrDefault(INJECT_TEMPLATES, "").split(",")) {
            grpcTemplate |= template.trim().toLowerCase(Locale.ROOT).startsWith("grpc-");
        }
        return Optional.of(new ProxyIdentity(pod.name(), pod.namespace(), pod.labels(), pod.ip(),
                grpcTemplate ? ProxyKind.PROXYLESS_GRPC : ProxyKind.SIDECAR));
    }

    private static boolean isGrpc(String userAgentName) {
        return userAgentName != null && userAgentName.toLowerCase(Locale.ROOT).contains("grpc");
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    private static Optional<String> firstLabel(String dnsDomain) {
        int dot = dnsDomain.indexOf('.');
        return nonEmpty(dot < 0 ? dnsDomain : dnsDomain.substring(0, dot));
    }

    private static Optional<String> idNamespace(String id) {
        int dot = id.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : nonEmpty(id.substring(dot + 1));
    }

    private static String podNameFrom(String id, String namespace) {
        if (id.endsWith("." + namespace)) {
            return id.substring(0, id.length() - namespace.length() - 1);
        }
        int dot = id.lastIndexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }
}
