package dev.meshpilot.bench.client;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A generated pod as a simulated proxy sees itself: Istio-style node id {@code sidecar~IP~POD.NS~NS.svc.cluster.local}
 * and metadata; {@code listeners} are the {@code FQDN:PORT} names a proxyless gRPC client of this pod asks for.
 */
public record ProxyNode(String pod, String namespace, Map<String, String> labels, String ip, List<String> listeners) {

    public ProxyNode {
        labels = Map.copyOf(labels);
        listeners = List.copyOf(listeners);
    }

    public String proxyId() {
        return pod + "." + namespace;
    }

    public String nodeId() {
        return "sidecar~" + ip + "~" + proxyId() + "~" + namespace + ".svc.cluster.local";
    }

    /**
     * The xDS node: an istio-proxy's (Envoy's user agent and istio-agent's {@code ISTIO_VERSION}) for sidecars, gRPC's
     * (and GENERATOR=grpc) for proxyless clients.
     */
    public Node toNode(boolean proxyless) {
        Struct.Builder labelStruct = Struct.newBuilder();
        new TreeMap<>(labels).forEach((k, v) -> labelStruct.putFields(k, Value.newBuilder().setStringValue(v).build()));
        Struct.Builder metadata = Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build())
                .putFields("NAME", Value.newBuilder().setStringValue(pod).build())
                .putFields("LABELS", Value.newBuilder().setStructValue(labelStruct).build());
        Node.Builder node = Node.newBuilder().setId(nodeId()).setCluster(labels.getOrDefault("app", pod) + "." + namespace);
        if (proxyless) {
            metadata.putFields("GENERATOR", Value.newBuilder().setStringValue("grpc").build());
            node.setUserAgentName("gRPC Java").setUserAgentVersion("1.85.1");
        } else {
            metadata.putFields("ISTIO_VERSION", Value.newBuilder().setStringValue("1.29.0").build());
            node.setUserAgentName("envoy").setUserAgentVersion("1.36.0");
        }
        return node.setMetadata(metadata).build();
    }
}
