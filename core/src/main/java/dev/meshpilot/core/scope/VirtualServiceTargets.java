package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.VirtualServiceResource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hosts a VirtualService may route a learned host's calls to: every destination (routes, mirrors, TCP and TLS
 * routes) of the VirtualServices of a scope bound to a learned host, each with a phrase naming the VirtualService.
 */
final class VirtualServiceTargets {

    private VirtualServiceTargets() {
    }

    /** Destination host to {@code VirtualService ns/name routes <learned host> to it}. */
    static Map<String, String> of(ProxyScope upper, Set<String> learnedHosts, String domain) {
        Map<String, String> targets = new HashMap<>();
        for (VirtualServiceResource vs : upper.virtualServices()) {
            String ns = vs.meta().namespace();
            Optional<String> bound = Optional.empty();
            for (String h : vs.hosts()) {
                String resolved = Shortnames.resolve(h, ns, domain);
                bound = learnedHosts.stream().filter(l -> HostName.coveredBy(l, resolved)).findFirst();
                if (bound.isPresent()) {
                    break;
                }
            }
            if (bound.isEmpty()) {
                continue;
            }
            String phrase = "VirtualService " + ns + "/" + vs.meta().name() + " routes " + bound.get() + " to it";
            for (VirtualServiceResource.Destination d : destinations(vs)) {
                targets.putIfAbsent(Shortnames.resolve(d.host(), ns, domain), phrase);
            }
        }
        return targets;
    }

    private static List<VirtualServiceResource.Destination> destinations(VirtualServiceResource vs) {
        List<VirtualServiceResource.Destination> out = new ArrayList<>();
        for (VirtualServiceResource.HttpRoute r : vs.http()) {
            r.route().forEach(d -> out.add(d.destination()));
            r.mirror().ifPresent(out::add);
            out.addAll(r.mirrors());
        }
        for (List<VirtualServiceResource.L4Route> routes : List.of(vs.tcp(), vs.tls())) {
            routes.forEach(r -> r.route().forEach(d -> out.add(d.destination())));
        }
        return out;
    }
}
