package dev.meshpilot.xds.generate;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Struct;
import dev.meshpilot.xds.naming.XdsNames;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.List;

/**
 * The TLS pieces istio-proxy is configured with, shaped as istiod shapes them: SDS secret references to istio-agent
 * ({@code default} certificate, {@code ROOTCA} trust, both over the bootstrap's {@code sds-grpc} cluster), upstream
 * Istio mutual TLS ({@code cluster_tls.go}), the auto-mTLS transport socket matches ({@code tlsMode-istio},
 * {@code tlsMode-disabled}), and the downstream context of inbound mTLS chains ({@code authn/utils BuildInboundTLS}).
 * Certificates never pass through meshpilot: it only names them.
 */
final class MtlsTransportSockets {

    /** The SPIFFE trust domain of workload identities (MeshConfig {@code trustDomain} is not read yet). */
    static final String TRUST_DOMAIN = "cluster.local";
    static final String TLS_SOCKET = "envoy.transport_sockets.tls";
    static final String RAW_BUFFER_SOCKET = "envoy.transport_sockets.raw_buffer";
    /** Endpoint and transport-socket-match metadata key naming the endpoint's TLS mode. */
    static final String TLS_MODE_KEY = "tlsMode";
    static final String ISTIO_TLS_MODE = "istio";
    static final String TLS_MODE_ISTIO_MATCH = "tlsMode-istio";
    static final String TLS_MODE_DISABLED_MATCH = "tlsMode-disabled";

    /** ALPN istio-proxy offers to in-mesh upstreams (metadata exchange on, as istiod's default). */
    static final List<String> ALPN_IN_MESH = List.of("istio-peer-exchange", "istio");
    static final List<String> ALPN_IN_MESH_H2 = List.of("istio-peer-exchange", "istio", "h2");
    static final List<String> ALPN_H2_ONLY = List.of("h2");
    /** ALPN of inbound mTLS: HTTP chains, and TCP chains (which also speak metadata exchange). */
    static final List<String> ALPN_DOWNSTREAM_HTTP = List.of("h2", "http/1.1");
    static final List<String> ALPN_DOWNSTREAM_TCP = List.of("istio-peer-exchange", "h2", "http/1.1");
    /** The cipher suites istiod allows on inbound mTLS unless the mesh config says otherwise. */
    static final List<String> INBOUND_CIPHER_SUITES = List.of("ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
            "AES256-GCM-SHA384", "AES128-GCM-SHA256");

    private MtlsTransportSockets() {
    }

    /** An SDS secret served by istio-agent over {@code sds-grpc} (Istio's {@code ConstructSdsSecretConfig}). */
    static SdsSecretConfig agentSecret(String name) {
        ConfigSource.Builder source = ConfigSource.newBuilder()
                .setApiConfigSource(ApiConfigSource.newBuilder()
                        .setApiType(ApiConfigSource.ApiType.GRPC)
                        .setSetNodeOnFirstMessageOnly(true)
                        .setTransportApiVersion(ApiVersion.V3)
                        .addGrpcServices(GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder()
                                .setClusterName(XdsNames.SDS_CLUSTER))))
                .setResourceApiVersion(ApiVersion.V3);
        if (name.equals(XdsNames.SDS_DEFAULT_SECRET) || name.equals(XdsNames.SDS_ROOT_SECRET)) {
            source.setInitialFetchTimeout(Protos.seconds(0)); // istiod's shared default/ROOTCA configs carry it
        }
        return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(source).build();
    }

    /**
     * A Kubernetes secret named by a DestinationRule {@code credentialName}, fetched over ADS from the control plane
     * (Istio's {@code ConstructSdsSecretConfigForCredential}); meshpilot does not serve secrets (see xds/README.md).
     */
    static SdsSecretConfig credentialSecret(String credentialName) {
        String name = credentialName.contains("://") ? credentialName : "kubernetes://" + credentialName;
        return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ConfigSource.newBuilder()
                .setAds(io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3)).build();
    }

    /** Istio's upstream TLS parameters: TLS 1.2 to 1.3. */
    static TlsParameters upstreamTlsParams() {
        return TlsParameters.newBuilder()
                .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2)
                .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3)
                .build();
    }

    static List<StringMatcher> exact(List<String> values) {
        return values.stream().map(v -> StringMatcher.newBuilder().setExact(v).build()).toList();
    }

    /**
     * Istio mutual TLS to an upstream sidecar: the workload certificate, the mesh root with the expected peer
     * identities, the SNI naming the destination, and the in-mesh ALPN ({@code h2} added for HTTP/2 clusters).
     */
    static UpstreamTlsContext istioMutual(List<String> subjectAltNames, String sni, boolean http2) {
        return UpstreamTlsContext.newBuilder()
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                        .setTlsParams(upstreamTlsParams())
                        .addAllAlpnProtocols(http2 ? ALPN_IN_MESH_H2 : ALPN_IN_MESH)
                        .addTlsCertificateSdsSecretConfigs(agentSecret(XdsNames.SDS_DEFAULT_SECRET))
                        .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                                .setDefaultValidationContext(CertificateValidationContext.newBuilder()
                                        .addAllMatchSubjectAltNames(exact(subjectAltNames)))
                                .setValidationContextSdsSecretConfig(agentSecret(XdsNames.SDS_ROOT_SECRET))))
                .setSni(sni)
                .build();
    }

    static TransportSocket tls(com.google.protobuf.Message context) {
        return TransportSocket.newBuilder().setName(TLS_SOCKET).setTypedConfig(Protos.pack(context)).build();
    }

    static TransportSocket rawBuffer() {
        return Built.RAW_BUFFER;
    }

    /** The transport socket of an inbound chain terminating Istio mTLS (see {@link #inboundMutual}). */
    static TransportSocket inboundMutualSocket(boolean http) {
        return http ? Built.INBOUND_MUTUAL_HTTP : Built.INBOUND_MUTUAL_TCP;
    }

    /** Sockets built once: immutable proto constants that every cluster or inbound chain of a mode repeats. */
    private static final class Built {
        static final TransportSocket RAW_BUFFER = TransportSocket.newBuilder().setName(RAW_BUFFER_SOCKET)
                .setTypedConfig(Protos.pack(RawBuffer.getDefaultInstance())).build();
        static final TransportSocket INBOUND_MUTUAL_HTTP = tls(inboundMutual(true));
        static final TransportSocket INBOUND_MUTUAL_TCP = tls(inboundMutual(false));

        private Built() {
        }
    }

    /**
     * Auto-mTLS (Istio's {@code applyUpstreamTLSSettings} for an auto-detected ISTIO_MUTUAL): endpoints labelled
     * {@code tlsMode: istio} get the mTLS socket, every other endpoint plaintext.
     */
    static List<Cluster.TransportSocketMatch> autoMtlsMatches(TransportSocket mtls) {
        return List.of(
                Cluster.TransportSocketMatch.newBuilder()
                        .setName(TLS_MODE_ISTIO_MATCH)
                        .setMatch(Struct.newBuilder().putFields(TLS_MODE_KEY, Protos.string(ISTIO_TLS_MODE)))
                        .setTransportSocket(mtls)
                        .build(),
                Cluster.TransportSocketMatch.newBuilder()
                        .setName(TLS_MODE_DISABLED_MATCH)
                        .setMatch(Struct.getDefaultInstance())
                        .setTransportSocket(rawBuffer())
                        .build());
    }

    /**
     * The downstream context of an inbound Istio mTLS chain (Istio's {@code BuildInboundTLS}): a client certificate
     * is required, validated against the mesh root and, as istiod's {@code TrustDomainsForValidation} asks, to be a
     * SPIFFE id of the trust domain; TCP chains also offer {@code istio-peer-exchange}.
     */
    static DownstreamTlsContext inboundMutual(boolean http) {
        return DownstreamTlsContext.newBuilder()
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                        .setTlsParams(TlsParameters.newBuilder()
                                .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2)
                                .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3)
                                .addAllCipherSuites(INBOUND_CIPHER_SUITES))
                        .addAllAlpnProtocols(http ? ALPN_DOWNSTREAM_HTTP : ALPN_DOWNSTREAM_TCP)
                        .addTlsCertificateSdsSecretConfigs(agentSecret(XdsNames.SDS_DEFAULT_SECRET))
                        .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                                .setDefaultValidationContext(CertificateValidationContext.newBuilder()
                                        .addMatchSubjectAltNames(StringMatcher.newBuilder()
                                                .setPrefix("spiffe://" + TRUST_DOMAIN + "/")))
                                .setValidationContextSdsSecretConfig(agentSecret(XdsNames.SDS_ROOT_SECRET))))
                .setRequireClientCertificate(BoolValue.of(true))
                .build();
    }

    /** A certificate revocation list read from a file. */
    static DataSource file(String path) {
        return DataSource.newBuilder().setFilename(path).build();
    }
}
