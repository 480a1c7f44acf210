package dev.meshpilot.server.accesslog;

import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.ServiceEndpoint;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Original destinations ({@code IP:port} of passthrough traffic) mapped back to services of one registry snapshot:
 * a service VIP with one of the service's ports gives that service and port; an endpoint address with its target
 * port gives the endpoint's service and the service port. Where several services claim one address and port, the
 * first in Istio's global service order wins (VIPs before endpoints). Built once per snapshot, immutable.
 */
final class AddressBook {
    private final long version;
    private final Map<String, Destination> byAddress;

    private AddressBook(long version, Map<String, Destination> byAddress) {
        this.version = version;
        this.byAddress = byAddress;
    }

    /** The book of a snapshot: every VIP and IP endpoint of every non-wildcard service. */
    static AddressBook of(MeshSnapshot snapshot) {
        Map<String, Destination> map = new HashMap<>();
        for (MeshService service : snapshot.services()) {
            if (service.isWildcard()) {
                continue;
            }
            for (String vip : service.addresses()) {
                for (ServicePort port : service.ports()) {
                    map.putIfAbsent(key(vip, port.port()), new Destination(service.hostname(), port.port()));
                }
            }
        }
        for (MeshService service : snapshot.services()) {
            if (service.isWildcard()) {
                continue;
            }
            for (ServicePort port : service.ports()) {
                for (ServiceEndpoint endpoint : snapshot.endpointsOf(service, port)) {
                    if (isIpLiteral(endpoint.address()) && endpoint.port() > 0) {
                        map.putIfAbsent(key(endpoint.address(), endpoint.port()),
                                new Destination(service.hostname(), port.port()));
                    }
                }
            }
        }
        return new AddressBook(snapshot.version(), Map.copyOf(map));
    }

    /** The service behind {@code address:port}, if the snapshot has one. */
    Optional<Destination> lookup(String address, int port) {
        return Optional.ofNullable(byAddress.get(key(address, port)));
    }

    long version() {
        return version;
    }

    int size() {
        return byAddress.size();
    }

    private static String key(String address, int port) {
        return address + "#" + port;
    }

    /** IPv4 dotted or IPv6 (has a colon); DNS names of ServiceEntry endpoints are not addresses traffic goes to. */
    static boolean isIpLiteral(String address) {
        if (address.isEmpty()) {
            return false;
        }
        if (address.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }
}
