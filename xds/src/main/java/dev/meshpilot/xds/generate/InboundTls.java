package dev.meshpilot.xds.generate;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;

import java.util.Optional;

/**
 * The seam between virtualInbound's layout ({@link SidecarInboundListener}) and inbound mTLS: which mTLS mode a port
 * (or the passthrough chains, port 0) is in, and the downstream transport socket of a chain that terminates Istio mTLS.
 * The layout (which chains, in which order, with which matches) follows the mode as Istio's
 * {@code getFilterChainMatchOptions} does; this class only answers the two questions.
 *
 * <p>Today: PERMISSIVE everywhere (Istio's default without any PeerAuthentication) and no transport socket yet, so a
 * TLS chain matches Istio's shape but does not terminate TLS. PeerAuthentication resolution and the SDS-backed
 * {@code DownstreamTlsContext} belong here (branch fidelity-mtls).
 */
final class InboundTls {

    /** Istio's inbound mTLS modes ({@code model.MutualTLSMode}). */
    enum Mode { DISABLE, PERMISSIVE, STRICT }

    private final MeshSnapshot snapshot;
    private final ProxyIdentity proxy;

    InboundTls(MeshSnapshot snapshot, ProxyIdentity proxy) {
        this.snapshot = snapshot;
        this.proxy = proxy;
    }

    /** The mode of a target port; port 0 means the passthrough chains. */
    Mode mode(int targetPort) {
        return Mode.PERMISSIVE;
    }

    /**
     * The downstream transport socket of a chain terminating Istio mTLS on a target port (0: passthrough).
     *
     * @param http whether the chain holds an HTTP connection manager (Istio's ALPN differs)
     */
    Optional<TransportSocket> transportSocket(int targetPort, boolean http) {
        return Optional.empty();
    }
}
