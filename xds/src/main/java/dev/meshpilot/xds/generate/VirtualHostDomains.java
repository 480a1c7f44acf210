package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.MeshService;

import java.util.ArrayList;
import java.util.List;

/**
 * The domains of a service's virtual host in an outbound route configuration, as Istio gives them: the FQDN, the
 * short forms valid from the proxy's namespace ({@code name} only in the service's own namespace, {@code name.ns}
 * and {@code name.ns.svc} from anywhere), each also with {@code :PORT}, and the service's addresses.
 */
final class VirtualHostDomains {

    private VirtualHostDomains() {
    }

    static List<String> of(MeshService service, int port, String proxyNamespace, String domainSuffix) {
        List<String> names = new ArrayList<>();
        String host = service.hostname();
        names.add(host);
        String kubeSuffix = ".svc." + domainSuffix;
        if (service.isKubernetes() && host.endsWith(kubeSuffix)) {
            String nameAndNamespace = host.substring(0, host.length() - kubeSuffix.length());
            int dot = nameAndNamespace.indexOf('.');
            if (dot > 0) {
                if (service.namespace().equals(proxyNamespace)) {
                    names.add(nameAndNamespace.substring(0, dot));
                }
                names.add(nameAndNamespace);
                names.add(nameAndNamespace + ".svc");
            }
        }
        for (String address : service.addresses()) {
            if (!address.isEmpty() && !address.equals("0.0.0.0") && !address.contains("/")) {
                names.add(address.contains(":") ? "[" + address + "]" : address);
            }
        }
        List<String> out = new ArrayList<>(names.size() * 2);
        for (String name : names) {
            out.add(name);
            out.add(name + ":" + port);
        }
        return out;
    }
}
