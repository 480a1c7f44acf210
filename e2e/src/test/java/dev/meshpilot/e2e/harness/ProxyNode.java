package dev.meshpilot.e2e.harness;

/**
 * An xDS client's identity as Istio spells it: node id {@code sidecar~IP~POD.NS~NS.svc.cluster.local} and node
 * metadata {@code NAMESPACE}, {@code NAME}, {@code LABELS} and {@code GENERATOR=grpc} (what istio-agent writes
 * into a proxyless gRPC bootstrap).
 */
public record ProxyNode(String pod, String namespace) {

    public String id() {
        return "sidecar~127.0.0.1~" + pod + "." + namespace + "~" + namespace + ".svc.cluster.local";
    }

    /** The name every tool prints for this proxy: {@code POD.NS}. */
    public String proxyName() {
        return pod + "." + namespace;
    }
}
