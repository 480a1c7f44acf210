package dev.meshpilot.server.push;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import io.envoyproxy.envoy.config.core.v3.Node;

import java.util.HashMap;
import java.util.Map;

/** Reads an xDS {@link Node} (Istio-style id, string metadata, {@code LABELS}) into a {@link ProxyIdentity}. */
final class NodeIdentity {
    private NodeIdentity() {
    }

    /** @throws dev.meshpilot.core.scope.InvalidProxyIdentityException when the node cannot be identified */
    static ProxyIdentity of(Node node, MeshSnapshot snapshot) {
        Struct metadata = node.getMetadata();
        Map<String, String> strings = strings(metadata);
        Value labels = metadata.getFieldsMap().get("LABELS");
        Map<String, String> labelMap = labels != null && labels.hasStructValue() ? strings(labels.getStructValue()) : Map.of();
        return ProxyIdentities.fromNode(node.getId(), strings, labelMap, node.getUserAgentName(), snapshot);
    }

    /** The node's {@code ISTIO_VERSION} metadata, empty when absent. */
    static String istioVersion(Node node) {
        Value v = node.getMetadata().getFieldsMap().get("ISTIO_VERSION");
        return v == null ? "" : v.getStringValue();
    }

    private static Map<String, String> strings(Struct struct) {
        Map<String, String> out = new HashMap<>();
        struct.getFieldsMap().forEach((k, v) -> {
            if (v.hasStringValue()) {
                out.put(k, v.getStringValue());
            }
        });
        return out;
    }
}
