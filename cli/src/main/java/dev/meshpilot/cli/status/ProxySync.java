package dev.meshpilot.cli.status;

import java.util.List;
import java.util.Objects;

/**
 * One proxy's row of proxy-status: who it is, which control plane answered for it, and its types' sync status.
 *
 * @param namespace the proxy's namespace (node metadata {@code NAMESPACE}), for {@code -n}
 * @param istiod    the answering control plane's id (istioctl's ISTIOD column)
 */
record ProxySync(String proxyId, String clusterId, String namespace, String istiod, String istioVersion,
                 List<TypeSync> types) {
    ProxySync {
        Objects.requireNonNull(proxyId, "proxyId");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(istiod, "istiod");
        Objects.requireNonNull(istioVersion, "istioVersion");
        types = List.copyOf(types);
    }
}
