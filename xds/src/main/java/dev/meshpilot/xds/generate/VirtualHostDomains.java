package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.MeshService;

import java.util.ArrayList;
import java.util.List;

/**
 * The domains of a service's virtual host in an outbound route configuration, as istiod 1.29's
 * {@code generateVirtualHostDomains} gives them to an Envoy sidecar: without ports (the route configuration sets
 * {@code ignore_port_in_host_matching}), in this order: the FQDN; its absolute form with a trailing dot
 * ({@code PILOT_ENABLE_ABSOLUTE_FQDN_VHOST_DOMAIN}, on by default since 1.27); for a host under
 * {@code svc.DOMAIN_SUFFIX}, the short forms valid from the proxy's namespace ({@code name}, {@code name.ns.svc},
 * {@code name.ns} in the service's own namespace; {@code name.ns}, {@code name.ns.svc} from another); for a headless
 * Kubernetes service, each of those again with a {@code *.} prefix (its pods' names); then the service's addresses.
 */
final class VirtualHostDomains {

    private VirtualHostDomains() {
    }

    static List<String> of(MeshService service, String proxyNamespace, String domainSuffix) {
        List<String> out = new ArrayList<>();
        String host = service.hostname();
        out.add(host);
        out.add(host + ".");
        String kubeSuffix = ".svc." + domainSuffix;
        if (host.endsWith(kubeSuffix)) {
            String nameAndNamespace = host.substring(0, host.length() - kubeSuffix.length());
            int dot = nameAndNamespace.indexOf('.');
            if (dot > 0 && dot < nameAndNamespace.length() - 1) {
                if (nameAndNamespace.substring(dot + 1).equals(proxyNamespace)) {
                    out.add(nameAndNamespace.substring(0, dot));
                    out.add(nameAndNamespace + ".svc");
                    out.add(nameAndNamespace);
                } else {
                    out.add(nameAndNamespace);
                    out.add(nameAndNamespace + ".svc");
                }
            }
        }
        if (service.isKubernetes() && service.resolution() == MeshService.Resolution.PASSTHROUGH) {
            for (String domain : List.copyOf(out)) {
                out.add("*." + domain);
            }
        }
        for (String address : service.addresses()) {
            if (!address.isEmpty() && !address.equals("0.0.0.0") && !address.contains("/")) {
                out.add(address.contains(":") ? "[" + address + "]" : address);
            }
        }
        return out;
    }
}
