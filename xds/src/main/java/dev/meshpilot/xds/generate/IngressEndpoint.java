package dev.meshpilot.xds.generate;

import io.envoyproxy.envoy.config.core.v3.Address;

import java.util.Optional;

/**
 * A Sidecar ingress {@code defaultEndpoint} as an address (R34): {@code 127.0.0.1:P} / {@code [::1]:P} loopback,
 * {@code 0.0.0.0:P} / {@code [::]:P} the pod IP, {@code unix:///path} a pipe; anything else is unusable (empty,
 * so the inbound cluster forwards to the original destination).
 */
final class IngressEndpoint {

    private IngressEndpoint() {
    }

    static Optional<Address> resolve(String defaultEndpoint, String podIp) {
        if (defaultEndpoint.startsWith("unix://")) {
            String path = defaultEndpoint.substring("unix://".length());
            return path.isEmpty() ? Optional.empty() : Optional.of(SidecarClusters.pipe(path));
        }
        int colon = defaultEndpoint.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String host = defaultEndpoint.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(defaultEndpoint.substring(colon + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (port <= 0 || port > 65535) {
            return Optional.empty();
        }
        return switch (host) {
            case "127.0.0.1" -> Optional.of(Protos.socketAddress("127.0.0.1", port));
            case "[::1]" -> Optional.of(Protos.socketAddress("::1", port));
            case "0.0.0.0", "[::]" -> podIp.isEmpty() ? Optional.empty() : Optional.of(Protos.socketAddress(podIp, port));
            default -> Optional.empty();
        };
    }
}
