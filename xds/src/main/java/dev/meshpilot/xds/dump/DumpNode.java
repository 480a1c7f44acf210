package dev.meshpilot.xds.dump;

import java.util.Optional;

/**
 * The proxy a dump came from, as its bootstrap's {@code node} names it: Istio's id
 * {@code TYPE~IP~POD.NS~NS.svc.cluster.local}, metadata {@code NAME}/{@code NAMESPACE}/{@code ISTIO_VERSION}/
 * {@code ISTIO_PROXY_SHA}, and the Envoy build version as istioctl prints it (empty when the node carries no
 * {@code user_agent_build_version}, as in dumps meshpilot writes; istioctl would print {@code 0.0.0}).
 *
 * @param id           the node id ({@code ""} when absent)
 * @param metaName     metadata {@code NAME} (the pod), {@code ""} when absent
 * @param metaNamespace metadata {@code NAMESPACE}, {@code ""} when absent
 */
public record DumpNode(String id, String metaName, String metaNamespace, String istioVersion, String istioProxySha,
                       String envoyVersion) {

    public static final DumpNode NONE = new DumpNode("", "", "", "", "", "");

    /** The node of a parsed bootstrap, read as {@link ConfigDumpReader} reads it from JSON. */
    public static DumpNode of(io.envoyproxy.envoy.config.core.v3.Node node) {
        var build = node.getUserAgentBuildVersion();
        var version = build.getVersion();
        StringBuilder envoy = new StringBuilder();
        if (node.hasUserAgentBuildVersion()) {
            envoy.append(version.getMajorNumber()).append('.').append(version.getMinorNumber()).append('.')
                    .append(version.getPatch());
            var md = build.getMetadata().getFieldsMap();
            for (String[] key : new String[][] {{"build.label", "-"}, {"revision.status", "/"}, {"build.type", "/"},
                    {"ssl.version", "/"}}) {
                if (md.containsKey(key[0])) {
                    envoy.append(key[1]).append(md.get(key[0]).getStringValue());
                }
            }
        }
        var meta = node.getMetadata().getFieldsMap();
        String sha = meta.containsKey("ISTIO_PROXY_SHA") ? meta.get("ISTIO_PROXY_SHA").getStringValue() : "";
        if (sha.contains(":")) {
            sha = sha.split(":", -1)[1];
        }
        return new DumpNode(node.getId(), text(meta, "NAME"), text(meta, "NAMESPACE"), text(meta, "ISTIO_VERSION"),
                sha, envoy.toString());
    }

    private static String text(java.util.Map<String, com.google.protobuf.Value> meta, String key) {
        return meta.containsKey(key) ? meta.get(key).getStringValue() : "";
    }

    /** The id's first part: {@code sidecar}, {@code router} (gateways), {@code waypoint}…; empty when not Istio's form. */
    public String nodeType() {
        String[] parts = id.split("~", -1);
        return parts.length == 4 ? parts[0] : "";
    }

    /** The pod name: metadata NAME, else the id's {@code POD.NS} part before its last dot. */
    public Optional<String> podName() {
        if (!metaName.isEmpty()) {
            return Optional.of(metaName);
        }
        String[] parts = id.split("~", -1);
        if (parts.length == 4 && parts[2].contains(".")) {
            return Optional.of(parts[2].substring(0, parts[2].lastIndexOf('.')));
        }
        return Optional.empty();
    }

    /** The namespace: metadata NAMESPACE, else the id's {@code POD.NS} suffix. */
    public Optional<String> namespace() {
        if (!metaNamespace.isEmpty()) {
            return Optional.of(metaNamespace);
        }
        String[] parts = id.split("~", -1);
        if (parts.length == 4 && parts[2].contains(".")) {
            return Optional.of(parts[2].substring(parts[2].lastIndexOf('.') + 1));
        }
        return Optional.empty();
    }

    /** {@code POD.NS} when both are known. */
    public Optional<String> proxyId() {
        return podName().flatMap(p -> namespace().map(n -> p + "." + n));
    }
}
