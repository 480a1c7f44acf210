package dev.meshpilot.server.accesslog;

import com.google.protobuf.Struct;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.ledger.WorkloadNames;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.InvalidProxyIdentityException;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import io.envoyproxy.envoy.config.core.v3.Node;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The workload behind an access-log stream: its node (Istio id {@code sidecar~IP~POD.NS~NS.svc.DOMAIN}, read as
 * the ADS server reads it) must name a pod of the registry, whose owning workload it is. A node the registry does
 * not know is not guessed from its IP.
 */
final class CallerResolver {
    /** Longer node ids name no pod (pod names are at most 253 characters, namespaces 63) and are not kept. */
    static final int MAX_NODE_ID = 1024;
    private static final int MAX_NAME = 253;

    private CallerResolver() {
    }

    /**
     * What a stream keeps of its node to resolve it now and later: the id and the {@code NAMESPACE}/{@code NAME}
     * metadata, not the rest of what the proxy sent (Istio's node metadata runs to kilobytes); an id or name too
     * long to be real is dropped, so the node stays unknown.
     */
    static Node slim(Node node) {
        Node.Builder slim = Node.newBuilder();
        if (node.getId().length() <= MAX_NODE_ID) {
            slim.setId(node.getId());
        }
        Struct.Builder metadata = Struct.newBuilder();
        strings(node.getMetadata()).forEach((k, v) -> {
            if (v.length() <= MAX_NAME) {
                metadata.putFields(k, com.google.protobuf.Value.newBuilder().setStringValue(v).build());
            }
        });
        return slim.setMetadata(metadata).setUserAgentName(node.getUserAgentName().length() <= MAX_NAME
                ? node.getUserAgentName() : "").build();
    }

    /** The pod and namespace the node claims; empty when its id cannot be read. */
    static Optional<ProxyIdentity> identity(Node node) {
        try {
            return Optional.of(ProxyIdentities.fromNode(node.getId(), strings(node.getMetadata()), Map.of(),
                    node.getUserAgentName(), null));
        } catch (InvalidProxyIdentityException e) {
            return Optional.empty();
        }
    }

    static Optional<WorkloadKey> resolve(Node node, MeshSnapshot snapshot) {
        ProxyIdentity identity;
        try {
            identity = ProxyIdentities.fromNode(node.getId(), strings(node.getMetadata()), Map.of(),
                    node.getUserAgentName(), null);
        } catch (InvalidProxyIdentityException e) {
            return Optional.empty();
        }
        return snapshot.findWorkload(identity.podName(), identity.namespace()).map(WorkloadNames::of);
    }

    private static Map<String, String> strings(Struct struct) {
        Map<String, String> out = new HashMap<>();
        for (String key : new String[] {ProxyIdentities.NAMESPACE, ProxyIdentities.NAME}) {
            var value = struct.getFieldsMap().get(key);
            if (value != null && value.hasStringValue()) {
                out.put(key, value.getStringValue());
            }
        }
        return out;
    }
}
