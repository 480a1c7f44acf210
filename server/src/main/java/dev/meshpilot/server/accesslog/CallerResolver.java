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
    private CallerResolver() {
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
