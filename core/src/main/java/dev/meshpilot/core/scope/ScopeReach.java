package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ServicePort;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which calls a set of scope services lets a proxy make: a call to {@code host:port} is inside when a service of
 * that hostname declares the port; a call with port {@value dev.meshpilot.core.ledger.Destination#ANY_PORT}
 * (evidence without a port) is inside when any service of that hostname is. The one "calls outside scope" test,
 * shared by the footprint report and the learned scope's safety check.
 */
public final class ScopeReach {

    private final Map<String, Set<Integer>> portsByHost;

    private ScopeReach(Map<String, Set<Integer>> portsByHost) {
        this.portsByHost = portsByHost;
    }

    /** The reach of these services (for a {@link ProxyScope}, its {@link ProxyScope#services()}). */
    public static ScopeReach of(Collection<MeshService> services) {
        Map<String, Set<Integer>> ports = new HashMap<>();
        for (MeshService service : services) {
            Set<Integer> p = ports.computeIfAbsent(service.hostname(), h -> new HashSet<>());
            for (ServicePort port : service.ports()) {
                p.add(port.port());
            }
        }
        return new ScopeReach(ports);
    }

    public static ScopeReach of(ProxyScope scope) {
        return of(scope.services());
    }

    /** True if a call to {@code host} on {@code port} (0: any port) stays inside. */
    public boolean reaches(String host, int port) {
        Set<Integer> ports = portsByHost.get(host);
        if (ports == null) {
            return false;
        }
        return port == 0 || ports.contains(port);
    }

    /** Every reachable {@code host:port}. */
    public Set<String> hostPorts() {
        Set<String> out = new HashSet<>();
        portsByHost.forEach((host, ports) -> ports.forEach(p -> out.add(host + ":" + p)));
        return out;
    }
}
