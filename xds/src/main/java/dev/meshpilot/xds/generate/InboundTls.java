package dev.meshpilot.xds.generate;

import dev.meshpilot.core.authn.MtlsMode;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;

import java.util.List;
import java.util.Optional;

/**
 * The inbound filter chains of one workload port under its effective PeerAuthentication mode, as istiod builds them
 * for istio-proxy ({@code filterchain_options.go}, {@code authn/utils BuildInboundTLS}):
 * <ul>
 * <li>STRICT: only TLS ({@code transport_protocol: tls}), terminated with Istio mTLS;</li>
 * <li>PERMISSIVE: mTLS from sidecars (TLS with one of Istio's ALPNs: {@code istio}, {@code istio-peer-exchange},
 * {@code istio-http/1.0|1.1}, {@code istio-h2}) terminated, plus plaintext ({@code raw_buffer}) and, on TCP ports,
 * TLS the application terminates itself (passed through);</li>
 * <li>DISABLE: plaintext only.</li>
 * </ul>
 * Plain Envoy has no SDS: its inbound chains match any transport and terminate nothing ({@link #withoutMtls}).
 * The listener layout around these chains is {@link SidecarInboundListener}'s.
 */
final class InboundTls {

    static final String TLS_TRANSPORT = "tls";
    static final String RAW_BUFFER_TRANSPORT = "raw_buffer";
    static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
    /** Every ALPN an Istio client may offer over mTLS (Istio's {@code allIstioMtlsALPNs}). */
    static final List<String> ALL_ISTIO_MTLS_ALPNS = List.of("istio", "istio-peer-exchange", "istio-http/1.0",
            "istio-http/1.1", "istio-h2");

    private InboundTls() {
    }

    /**
     * One chain of a port: what it matches beyond the destination port, and the TLS it terminates (empty for
     * plaintext, or TLS passed through to the application).
     */
    record ChainOption(List<String> applicationProtocols, String transportProtocol,
                       Optional<TransportSocket> transportSocket) {
        ChainOption {
            applicationProtocols = List.copyOf(applicationProtocols);
        }

        /** Adds this option's match to a match holding the destination port. */
        FilterChainMatch.Builder addTo(FilterChainMatch.Builder match) {
            return match.addAllApplicationProtocols(applicationProtocols).setTransportProtocol(transportProtocol);
        }
    }

    /** The chains of a port of this protocol family under this mode (UNKNOWN counts as DISABLE, as in Istio). */
    static List<ChainOption> chains(MtlsMode mode, boolean http) {
        Optional<TransportSocket> mtls = Optional.of(MtlsTransportSockets.tls(MtlsTransportSockets.inboundMutual(http)));
        return switch (mode) {
            case STRICT -> List.of(new ChainOption(List.of(), TLS_TRANSPORT, mtls));
            case PERMISSIVE -> http
                    ? List.of(new ChainOption(ALL_ISTIO_MTLS_ALPNS, TLS_TRANSPORT, mtls),
                            new ChainOption(List.of(), RAW_BUFFER_TRANSPORT, Optional.empty()))
                    : List.of(new ChainOption(ALL_ISTIO_MTLS_ALPNS, TLS_TRANSPORT, mtls),
                            new ChainOption(List.of(), TLS_TRANSPORT, Optional.empty()),
                            new ChainOption(List.of(), RAW_BUFFER_TRANSPORT, Optional.empty()));
            case DISABLE, UNKNOWN -> plaintext();
        };
    }

    /** A DISABLE port of istio-proxy: plaintext only ({@code raw_buffer}). */
    private static List<ChainOption> plaintext() {
        return List.of(new ChainOption(List.of(), RAW_BUFFER_TRANSPORT, Optional.empty()));
    }

    /** A port of a proxy without SDS (plain Envoy): one chain matching whatever transport arrives. */
    static List<ChainOption> withoutMtls() {
        return List.of(new ChainOption(List.of(), "", Optional.empty()));
    }

    /** True when any chain matches on TLS, so the listener needs the TLS inspector. */
    static boolean needsTlsInspector(List<ChainOption> options) {
        return options.stream().anyMatch(o -> o.transportProtocol().equals(TLS_TRANSPORT)
                || !o.applicationProtocols().isEmpty());
    }

    static ListenerFilter tlsInspector() {
        return ListenerFilter.newBuilder().setName(TLS_INSPECTOR)
                .setTypedConfig(Protos.pack(TlsInspector.getDefaultInstance())).build();
    }
}
