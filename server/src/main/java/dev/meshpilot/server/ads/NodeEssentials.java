package dev.meshpilot.server.ads;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;

import java.util.Map;
import java.util.Set;

/**
 * The part of an xDS {@link Node} a stream keeps for its lifetime: id, cluster, locality, user agent, and the string
 * metadata fields meshpilot reads (pod name and namespace, generator, Istio version, cluster, service account,
 * labels). Everything else a client sends in its metadata (annotations, platform metadata, or megabytes of padding)
 * is dropped once the stream attached.
 */
final class NodeEssentials {
    /** Metadata keys read by identity, scoping, syncz and proxy-status. */
    static final Set<String> KEPT = Set.of("NAMESPACE", "NAME", "GENERATOR", "ISTIO_VERSION", "CLUSTER_ID",
            "SERVICE_ACCOUNT", "WORKLOAD_NAME", "MESH_ID", "INSTANCE_IPS");
    static final String LABELS = "LABELS";

    private NodeEssentials() {
    }

    static Node of(Node node) {
        Struct.Builder metadata = Struct.newBuilder();
        for (Map.Entry<String, Value> e : node.getMetadata().getFieldsMap().entrySet()) {
            if (KEPT.contains(e.getKey()) && e.getValue().hasStringValue()) {
                metadata.putFields(e.getKey(), e.getValue());
            } else if (LABELS.equals(e.getKey()) && e.getValue().hasStructValue()) {
                Struct.Builder labels = Struct.newBuilder();
                e.getValue().getStructValue().getFieldsMap().forEach((k, v) -> {
                    if (v.hasStringValue()) {
                        labels.putFields(k, v);
                    }
                });
                metadata.putFields(LABELS, Value.newBuilder().setStructValue(labels).build());
            }
        }
        Node.Builder slim = Node.newBuilder().setId(node.getId()).setCluster(node.getCluster())
                .setUserAgentName(node.getUserAgentName()).setMetadata(metadata);
        if (node.hasLocality()) {
            slim.setLocality(node.getLocality());
        }
        if (node.hasUserAgentVersion()) {
            slim.setUserAgentVersion(node.getUserAgentVersion());
        }
        return slim.build();
    }
}
