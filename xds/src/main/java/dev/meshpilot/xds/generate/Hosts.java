package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.VirtualServiceResource;

import java.util.List;
import java.util.Optional;

/** Host names as VirtualServices write them, resolved and matched the way Istio does for routing. */
final class Hosts {

    private Hosts() {
    }

    /** A name without a dot (not {@code *}, not an IP) means {@code NAME.NAMESPACE.svc.DOMAIN}. */
    static String resolve(String host, String namespace, String domainSuffix) {
        if (host.isEmpty() || host.equals("*") || host.contains(".") || host.contains(":")) {
            return host;
        }
        return host + "." + namespace + ".svc." + domainSuffix;
    }

    /** True when a VirtualService host (resolved) applies to a service's hostname: equal, or a covering wildcard. */
    static boolean covers(String pattern, String hostname) {
        if (pattern.equals(hostname)) {
            return true;
        }
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.startsWith("*") && !hostname.startsWith("*")) {
            return hostname.endsWith(pattern.substring(1));
        }
        return false;
    }

    /**
     * The first VirtualService (in the given order) with a host applying to the service; an exact host beats a
     * wildcard one, as Istio binds the most specific VirtualService to a service's virtual host.
     */
    static Optional<VirtualServiceResource> virtualServiceFor(MeshService service, List<VirtualServiceResource> candidates,
                                                             String domainSuffix) {
        VirtualServiceResource wildcard = null;
        for (VirtualServiceResource vs : candidates) {
            if (!vs.appliesToMesh()) {
                continue;
            }
            for (String host : vs.hosts()) {
                String resolved = resolve(host, vs.meta().namespace(), domainSuffix);
                if (resolved.equals(service.hostname())) {
                    return Optional.of(vs);
                }
                if (wildcard == null && covers(resolved, service.hostname())) {
                    wildcard = vs;
                }
            }
        }
        return Optional.ofNullable(wildcard);
    }
}
