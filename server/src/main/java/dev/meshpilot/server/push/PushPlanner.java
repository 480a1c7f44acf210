package dev.meshpilot.server.push;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.ConfigKey.Kind;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.PeerAuthenticationResource;
import dev.meshpilot.core.registry.ChangeSet;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.server.learn.ServedLearning;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which proxies a change concerns (R46–R48 of the scoping spec): a key counts for a proxy when it is in the
 * dependency set of the proxy's previous or new scope, when it is the proxy's own pod or a service selecting it,
 * or when it is mesh-wide; a learned-scope key counts only for the proxies of its workload; a PeerAuthentication
 * counts for the proxies it governs or whose clients' mTLS it decides. Pure functions; no
 * state.
 */
final class PushPlanner {
    /**
     * Kinds whose change can alter some scope or the outbound part shared per scope; batches without them keep every
     * scope and outbound part as it was. A PeerAuthentication alters no scope, but a namespace (or mesh) policy
     * decides whether istio-proxy clients send auto-mTLS to that namespace's services (Istio's
     * {@code BestEffortInferServiceMTLSMode}), which is in the shared outbound clusters.
     */
    private static final Set<Kind> SCOPE_INPUTS = EnumSet.of(Kind.SERVICE, Kind.SIDECAR, Kind.VIRTUAL_SERVICE,
            Kind.DESTINATION_RULE, Kind.NAMESPACE, Kind.MESH_CONFIG, Kind.PEER_AUTHENTICATION);
    /** Kinds relevant to a proxy only through its scope's dependency set. */
    private static final Set<Kind> SCOPED = EnumSet.of(Kind.SERVICE, Kind.ENDPOINTS, Kind.SIDECAR,
            Kind.VIRTUAL_SERVICE, Kind.DESTINATION_RULE);

    private PushPlanner() {
    }

    /** The verdict for one proxy: push or not, whether only endpoints changed for it, and the keys that counted. */
    record Decision(boolean push, boolean endpointsOnly, Set<ConfigKey> relevant) {
        static final Decision NONE = new Decision(false, false, Set.of());
    }

    static boolean scopesNeedRecompute(ChangeSet changes) {
        return changes.keys().stream().anyMatch(k -> SCOPE_INPUTS.contains(k.kind()));
    }

    static Decision decide(ChangeSet changes, ProxyIdentity oldIdentity, ProxyScope oldScope,
                           ProxyIdentity newIdentity, ProxyScope newScope, MeshSnapshot oldSnapshot,
                           MeshSnapshot newSnapshot) {
        Set<ConfigKey> relevant = new TreeSet<>();
        for (ConfigKey key : changes.keys()) {
            if (isRelevant(key, newIdentity, oldScope, newScope, oldSnapshot, newSnapshot)) {
                relevant.add(key);
            }
        }
        boolean identityChanged = !oldIdentity.equals(newIdentity) || !oldScope.key().equals(newScope.key());
        if (relevant.isEmpty() && !identityChanged) {
            return Decision.NONE;
        }
        boolean endpointsOnly = !identityChanged && relevant.stream().allMatch(k -> k.kind() == Kind.ENDPOINTS);
        return new Decision(true, endpointsOnly, relevant);
    }

    private static boolean isRelevant(ConfigKey key, ProxyIdentity proxy, ProxyScope oldScope, ProxyScope newScope,
                                      MeshSnapshot oldSnapshot, MeshSnapshot newSnapshot) {
        if (key.kind() == Kind.MESH_CONFIG || key.kind() == Kind.NAMESPACE) {
            return true;
        }
        if (key.kind() == Kind.LEARNED_SCOPE) {
            // learning changed one workload's served scope: only that workload's proxies
            return ServedLearning.workloadOf(proxy, newSnapshot)
                    .map(w -> w.namespace().equals(key.namespace()) && w.name().equals(key.name())).orElse(false);
        }
        if (key.kind() == Kind.WORKLOAD) {
            return key.namespace().equals(proxy.namespace()) && key.name().equals(proxy.podName());
        }
        if (key.kind() == Kind.PEER_AUTHENTICATION) {
            return concerns(key, proxy, oldScope, oldSnapshot) || concerns(key, proxy, newScope, newSnapshot);
        }
        if (!SCOPED.contains(key.kind())) {
            return true; // a kind we do not know how to scope: push, as Istio does
        }
        if (oldScope.dependsOn(key) || newScope.dependsOn(key)) {
            return true;
        }
        return key.kind() == Kind.SERVICE && (selects(key, proxy, oldSnapshot) || selects(key, proxy, newSnapshot));
    }

    /**
     * Whether a PeerAuthentication, as one snapshot holds it, concerns the proxy (Istio's {@code authentication.go}
     * scopes): a mesh policy (root namespace, no selector) every proxy; a namespace policy the proxies of that
     * namespace (their inbound chains) and those whose scope holds a service of it (their auto-mTLS clusters); a
     * workload policy only the proxies of its namespace it selects. A root-namespace policy with a selector applies to
     * nothing, as in Istio.
     */
    private static boolean concerns(ConfigKey key, ProxyIdentity proxy, ProxyScope scope, MeshSnapshot snapshot) {
        String root = snapshot.meshConfig().rootNamespace();
        for (PeerAuthenticationResource policy : snapshot.peerAuthentications()) {
            if (!policy.key().equals(key)) {
                continue;
            }
            String namespace = policy.meta().namespace();
            if (policy.namespaceWide()) {
                return namespace.equals(root) || namespace.equals(proxy.namespace())
                        || scope.services().stream().anyMatch(s -> s.namespace().equals(namespace));
            }
            return !namespace.equals(root) && namespace.equals(proxy.namespace()) && policy.selects(proxy.labels());
        }
        return false; // not in this snapshot
    }

    /** True when the service named by this key selects the proxy's pod (the proxy's inbound side depends on it). */
    private static boolean selects(ConfigKey serviceKey, ProxyIdentity proxy, MeshSnapshot snapshot) {
        if (!serviceKey.namespace().equals(proxy.namespace())) {
            return false;
        }
        for (MeshService s : snapshot.services()) {
            if (s.key().equals(serviceKey) && s.isKubernetes() && !s.selector().isEmpty()
                    && proxy.labels().entrySet().containsAll(s.selector().entrySet())) {
                return true;
            }
        }
        return false;
    }
}
