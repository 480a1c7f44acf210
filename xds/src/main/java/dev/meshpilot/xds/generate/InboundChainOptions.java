package dev.meshpilot.xds.generate;

import java.util.List;

/**
 * The filter chains virtualInbound holds for one port (or for the passthrough, which is both HTTP and TCP), per mTLS
 * mode: Istio 1.29's {@code getFilterChainMatchOptions} table ({@code filterchain_options.go}), in its order.
 *
 * @param http              the chain holds an HTTP connection manager (else tcp_proxy)
 * @param transportProtocol {@code tls} or {@code raw_buffer}
 * @param alpns             the {@code application_protocols} to match; empty for none
 * @param terminatesTls     the chain terminates Istio mTLS (gets a downstream transport socket)
 */
record InboundChainOptions(boolean http, String transportProtocol, List<String> alpns, boolean terminatesTls) {

    static final String TLS = "tls";
    static final String RAW_BUFFER = "raw_buffer";

    /** Istio mTLS ALPNs of HTTP connections ({@code mtlsHTTPALPNs}). */
    static final List<String> MTLS_HTTP_ALPNS = List.of("istio-http/1.0", "istio-http/1.1", "istio-h2");
    /** Every Istio mTLS ALPN ({@code allIstioMtlsALPNs}). */
    static final List<String> ALL_ISTIO_MTLS_ALPNS = List.of("istio", "istio-peer-exchange", "istio-http/1.0",
            "istio-http/1.1", "istio-h2");
    /** Istio mTLS ALPNs of TCP connections with metadata exchange ({@code mtlsTCPWithMxcALPNs}). */
    static final List<String> MTLS_TCP_ALPNS = List.of("istio-peer-exchange", "istio");
    /** Plaintext HTTP ALPNs the HTTP inspector detects ({@code plaintextHTTPALPNs}, HTTP/1.0 off). */
    static final List<String> PLAINTEXT_HTTP_ALPNS = List.of("http/1.1", "h2c");

    /** What a chain carries: an HTTP port, a TCP port, or the passthrough (both, told apart by the inspectors). */
    enum Carried { HTTP, TCP, AUTO }

    InboundChainOptions {
        alpns = List.copyOf(alpns);
    }

    static List<InboundChainOptions> of(InboundTls.Mode mode, Carried carried) {
        return switch (carried) {
            case HTTP -> switch (mode) {
                case STRICT -> List.of(new InboundChainOptions(true, TLS, List.of(), true));
                case PERMISSIVE -> List.of(
                        new InboundChainOptions(true, TLS, ALL_ISTIO_MTLS_ALPNS, true),
                        new InboundChainOptions(true, RAW_BUFFER, List.of(), false));
                case DISABLE -> List.of(new InboundChainOptions(true, RAW_BUFFER, List.of(), false));
            };
            case TCP -> switch (mode) {
                case STRICT -> List.of(new InboundChainOptions(false, TLS, List.of(), true));
                case PERMISSIVE -> List.of(
                        new InboundChainOptions(false, TLS, ALL_ISTIO_MTLS_ALPNS, true),
                        new InboundChainOptions(false, TLS, List.of(), false),
                        new InboundChainOptions(false, RAW_BUFFER, List.of(), false));
                case DISABLE -> List.of(new InboundChainOptions(false, RAW_BUFFER, List.of(), false));
            };
            case AUTO -> switch (mode) {
                case STRICT -> List.of(
                        new InboundChainOptions(true, TLS, MTLS_HTTP_ALPNS, true),
                        new InboundChainOptions(false, TLS, List.of(), true));
                case PERMISSIVE -> List.of(
                        new InboundChainOptions(true, TLS, MTLS_HTTP_ALPNS, true),
                        new InboundChainOptions(true, RAW_BUFFER, PLAINTEXT_HTTP_ALPNS, false),
                        new InboundChainOptions(false, TLS, MTLS_TCP_ALPNS, true),
                        new InboundChainOptions(false, RAW_BUFFER, List.of(), false),
                        new InboundChainOptions(false, TLS, List.of(), false));
                case DISABLE -> List.of(
                        new InboundChainOptions(true, RAW_BUFFER, PLAINTEXT_HTTP_ALPNS, false),
                        new InboundChainOptions(false, RAW_BUFFER, List.of(), false));
            };
        };
    }
}
