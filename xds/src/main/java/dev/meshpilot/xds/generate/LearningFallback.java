package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.ServiceEndpoint;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.xds.naming.XdsNames;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where the services a learned scope left out ({@link ProxyScope#fallbackServices()}) are kept reachable, per
 * destination port, so that narrowing never breaks a call (every fallback path goes to {@code PassthroughCluster}
 * and is logged, so the call is learned):
 * <ul>
 *   <li>port with an HTTP {@code 0.0.0.0_PORT} listener, HTTP service port: a fallback virtual host with the
 *       service's domains (REGISTRY_ONLY; under ALLOW_ANY {@code allow_any} already passes them);</li>
 *   <li>port with a {@code 0.0.0.0_PORT} listener otherwise (a TCP service port on an HTTP listener's port, or any
 *       service port on a TCP wildcard listener's port): a filter chain on that listener matching the service's
 *       addresses, under either policy, because that listener would otherwise take the connection (an HTTP
 *       listener cannot carry TCP; a TCP wildcard listener would send it to the wrong service);</li>
 *   <li>port without a listener: a virtualOutbound filter chain matching the addresses on that port
 *       (REGISTRY_ONLY; under ALLOW_ANY the catch-all passes them).</li>
 * </ul>
 * A service's addresses are its VIPs (or CIDR blocks of a ServiceEntry); a service without one (headless Service,
 * ServiceEntry without {@code addresses}) is matched by the IP addresses of its endpoints the snapshot knows, on the
 * endpoint's port. A service with neither cannot be matched by address and stays unmatched there. Ports 15001/15006
 * and UDP ports are skipped, as for scope services. Everything is in port then address order.
 */
final class LearningFallback {

    private final SortedMap<Integer, SortedSet<String>> virtualOutboundAddresses = new TreeMap<>();
    private final SortedMap<Integer, SortedSet<String>> wildcardListenerAddresses = new TreeMap<>();
    private final SortedMap<Integer, List<MeshService>> virtualHostServices = new TreeMap<>();

    /**
     * @param httpListenerPorts   ports that have an outbound HTTP {@code 0.0.0.0_PORT} listener
     * @param tcpWildcardPorts    ports that have an outbound TCP {@code 0.0.0.0_PORT} listener
     */
    LearningFallback(MeshSnapshot snapshot, ProxyScope scope, Set<Integer> httpListenerPorts,
                     Set<Integer> tcpWildcardPorts) {
        boolean registryOnly = scope.outboundTrafficPolicy() == OutboundTrafficPolicy.REGISTRY_ONLY;
        List<MeshService> services = new ArrayList<>(scope.fallbackServices());
        services.sort(Comparator.comparing(MeshService::hostname).thenComparing(MeshService::namespace)
                .thenComparing(MeshService::registry).thenComparing(s -> s.origin().name()));
        for (MeshService service : services) {
            for (ServicePort port : ServiceClusters.clusterPorts(service)) {
                int number = port.port();
                if (httpListenerPorts.contains(number) && port.protocol().isHttp()) {
                    if (registryOnly) {
                        virtualHostServices.computeIfAbsent(number, k -> new ArrayList<>()).add(service);
                    }
                    continue;
                }
                for (Map.Entry<Integer, String> target : addresses(snapshot, service, port)) {
                    int destinationPort = target.getKey();
                    if (XdsNames.isVirtualListenerPort(destinationPort)) {
                        continue;
                    }
                    if (httpListenerPorts.contains(destinationPort) || tcpWildcardPorts.contains(destinationPort)) {
                        wildcardListenerAddresses.computeIfAbsent(destinationPort, k -> new TreeSet<>())
                                .add(target.getValue());
                    } else if (registryOnly) {
                        virtualOutboundAddresses.computeIfAbsent(destinationPort, k -> new TreeSet<>())
                                .add(target.getValue());
                    }
                }
            }
        }
    }

    /**
     * True when some left-out service has no usable address, so its fallback chains list endpoint addresses and an
     * endpoint change must regenerate listeners.
     */
    static boolean dependsOnEndpoints(ProxyScope scope) {
        return scope.fallbackServices().stream()
                .anyMatch(s -> !s.isWildcard() && s.addresses().stream().noneMatch(IpPrefixes::isUsable));
    }

    /** Per port without an outbound listener, the fallback addresses virtualOutbound passes through. */
    SortedMap<Integer, SortedSet<String>> virtualOutboundAddresses() {
        return virtualOutboundAddresses;
    }

    /** Per port with a {@code 0.0.0.0_PORT} listener, the fallback addresses that listener passes through. */
    SortedMap<Integer, SortedSet<String>> wildcardListenerAddresses() {
        return wildcardListenerAddresses;
    }

    /** Per HTTP listener port, the fallback services its route configuration passes through by host. */
    SortedMap<Integer, List<MeshService>> virtualHostServices() {
        return virtualHostServices;
    }

    /** (destination port, address or CIDR) pairs a connection to this service port may carry. */
    private static List<Map.Entry<Integer, String>> addresses(MeshSnapshot snapshot, MeshService service,
                                                             ServicePort port) {
        List<Map.Entry<Integer, String>> out = new ArrayList<>();
        for (String address : service.addresses()) {
            if (IpPrefixes.isUsable(address)) {
                out.add(Map.entry(port.port(), address));
            }
        }
        if (out.isEmpty() && !service.isWildcard()) {
            for (ServiceEndpoint endpoint : snapshot.endpointsOf(service, port)) {
                if (IpPrefixes.isUsable(endpoint.address()) && endpoint.port() > 0) {
                    out.add(Map.entry(endpoint.port(), endpoint.address()));
                }
            }
        }
        return out;
    }
}
