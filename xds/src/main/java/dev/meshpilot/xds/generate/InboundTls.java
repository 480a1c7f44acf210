package dev.meshpilot.xds.generate;

import dev.meshpilot.core.authn.EffectivePeerAuthentication;
import dev.meshpilot.core.authn.MtlsMode;
import dev.meshpilot.core.authn.PeerAuthentications;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;

import java.util.Optional;

/**
 * The seam between virtualInbound's layout ({@link SidecarInboundListener}, {@link InboundChainOptions}) and inbound
 * mTLS: which mode a workload port is in, and the transport socket of a chain that terminates Istio mTLS.
 * <ul>
 * <li>istio-proxy: the workload's effective PeerAuthentication (Istio's {@code ComposePeerAuthentication} and
 * {@code GetMutualTLSModeForPort}, {@link PeerAuthentications#forWorkload}); the passthrough chains (port 0) follow
 * the workload's mode, as istiod asks for port 0. A TLS chain terminates with Istio's downstream context
 * ({@link MtlsTransportSockets#inboundMutual}: the SDS {@code default} certificate, a client certificate required and
 * validated against SDS {@code ROOTCA}).</li>
 * <li>plain Envoy has no istio-agent and so no SDS certificate: DISABLE, plaintext chains only.</li>
 * </ul>
 */
final class InboundTls {

    /** Istio's inbound mTLS modes ({@code model.MutualTLSMode}; UNKNOWN resolves to PERMISSIVE before this). */
    enum Mode { DISABLE, PERMISSIVE, STRICT }

    private final Optional<EffectivePeerAuthentication> peerAuthentication;

    /** @param peerAuthentication the workload's effective PeerAuthentication; empty for plain Envoy (DISABLE) */
    InboundTls(Optional<EffectivePeerAuthentication> peerAuthentication) {
        this.peerAuthentication = peerAuthentication;
    }

    /** A workload in one mode on every port (DISABLE: no PeerAuthentication at all, as plain Envoy). */
    static InboundTls workloadMode(Mode mode) {
        return new InboundTls(switch (mode) {
            case DISABLE -> Optional.empty();
            case PERMISSIVE -> Optional.of(new EffectivePeerAuthentication(MtlsMode.PERMISSIVE, java.util.Map.of()));
            case STRICT -> Optional.of(new EffectivePeerAuthentication(MtlsMode.STRICT, java.util.Map.of()));
        });
    }

    /** The mode of a target port; port 0 means the passthrough chains. */
    Mode mode(int targetPort) {
        if (peerAuthentication.isEmpty()) {
            return Mode.DISABLE;
        }
        EffectivePeerAuthentication pa = peerAuthentication.get();
        MtlsMode mode = targetPort == 0 ? pa.mode() : pa.modeFor(targetPort);
        return switch (mode) {
            case STRICT -> Mode.STRICT;
            case PERMISSIVE -> Mode.PERMISSIVE;
            case DISABLE, UNKNOWN -> Mode.DISABLE;
        };
    }

    /**
     * The downstream transport socket of a chain terminating Istio mTLS on a target port (0: passthrough); empty when
     * the port takes no mTLS.
     *
     * @param http whether the chain holds an HTTP connection manager (Istio's ALPN differs)
     */
    Optional<TransportSocket> transportSocket(int targetPort, boolean http) {
        if (mode(targetPort) == Mode.DISABLE) {
            return Optional.empty();
        }
        return Optional.of(MtlsTransportSockets.inboundMutualSocket(http));
    }
}
