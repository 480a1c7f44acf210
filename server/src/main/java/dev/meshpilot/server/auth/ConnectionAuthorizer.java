package dev.meshpilot.server.auth;

import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.scope.ProxyIdentity;

import java.util.Optional;

/**
 * istiod's {@code checkConnectionIdentity}: an authenticated caller may only claim a node of its own namespace and,
 * when the registry knows the pod, of the pod's service account.
 */
public final class ConnectionAuthorizer {
    private ConnectionAuthorizer() {
    }

    /**
     * @param node the identity the node claims (id {@code POD.NS}, metadata {@code NAMESPACE})
     * @param pod  the registry's pod of that name and namespace, when it knows one
     * @throws AuthException {@link RefusalReason#NAMESPACE_MISMATCH} or {@link RefusalReason#SERVICE_ACCOUNT_MISMATCH}
     */
    public static void check(CallerIdentity caller, ProxyIdentity node, Optional<WorkloadInstance> pod)
            throws AuthException {
        if (!caller.namespace().equals(node.namespace())) {
            throw new AuthException(RefusalReason.NAMESPACE_MISMATCH, "authenticated as " + caller.display()
                    + " but the node claims namespace '" + node.namespace() + "' (proxy " + node.proxyId() + ")");
        }
        if (pod.isEmpty()) {
            return;
        }
        // A pod spec without serviceAccountName runs as "default" (Kubernetes fills it in).
        String podAccount = pod.get().serviceAccount().isEmpty() ? "default" : pod.get().serviceAccount();
        if (!podAccount.equals(caller.serviceAccount())) {
            throw new AuthException(RefusalReason.SERVICE_ACCOUNT_MISMATCH, "authenticated as " + caller.display()
                    + " but pod " + node.proxyId() + " runs as service account '" + podAccount + "'");
        }
    }
}
