package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.PeerAuthenticationResource;
import dev.meshpilot.core.model.PeerAuthenticationResource.Mode;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.TrafficPolicy;
import dev.meshpilot.core.model.TrafficPolicy.ClientTls;
import dev.meshpilot.core.model.TrafficPolicy.TlsMode;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.xds.json.XdsJson;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;
import dev.meshpilot.xds.validate.XdsValidator;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-mTLS, DestinationRule TLS and PeerAuthentication on istio-proxy config: a table of mesh / namespace / workload
 * / port PeerAuthentications x DestinationRule tls modes x in-mesh or plain endpoints, pinning the shapes istiod's own
 * tests pin: outbound clusters as {@code TestApplyUpstreamTLSSettings} / {@code TestBuildUpstreamClusterTLSContext}
 * ({@code cluster_tls_test.go}) and {@code TestBuildAutoMtlsSettings}, endpoint metadata as the EDS tests'
 * {@code tlsMode} label, inbound chains as {@code TestInboundListenerFilterChains} /
 * {@code getFilterChainMatchOptions} ({@code listener_inbound_test.go}, {@code filterchain_options.go}).
 */
class MtlsMatrixTest {

    private static final String REVIEWS = "reviews.default.svc.cluster.local";
    private static final String REVIEWS_CLUSTER = "outbound|9080||" + REVIEWS;
    private static final String REVIEWS_V1_CLUSTER = "outbound|9080|v1|" + REVIEWS;
    private static final String SAN = "spiffe://cluster.local/ns/default/sa/bookinfo-reviews";
    private static final ProxyIdentity PRODUCTPAGE = TestMesh.sidecar("productpage-v1-0", "default", "10.0.0.10",
            Map.of("app", "productpage"));
    private static final ProxyIdentity REVIEWS_PROXY = TestMesh.sidecar("reviews-v1-0", "default", "10.0.0.21",
            Map.of("app", "reviews", "version", "v1"));

    private final ProxyConfigGenerator generator = new ProxyConfigGenerator();

    /** What an outbound cluster originates. */
    enum Upstream { AUTO_MTLS_MATCHES, ISTIO_MUTUAL_SOCKET, SIMPLE_TLS_SOCKET, MUTUAL_TLS_SOCKET, PLAINTEXT }

    private static PeerAuthenticationResource pa(String ns, String name, Map<String, String> selector, Mode mode,
                                                 Map<Integer, Mode> ports) {
        return new PeerAuthenticationResource(ObjectMeta.of(ns, name), selector, mode, ports);
    }

    private static PeerAuthenticationResource mesh(Mode mode) {
        return pa("istio-system", "default", Map.of(), mode, Map.of());
    }

    private static PeerAuthenticationResource namespace(Mode mode) {
        return pa("default", "default", Map.of(), mode, Map.of());
    }

    private static PeerAuthenticationResource reviewsWorkload(Mode mode, Map<Integer, Mode> ports) {
        return pa("default", "reviews", Map.of("app", "reviews"), mode, ports);
    }

    private static ClientTls tls(TlsMode mode) {
        return ClientTls.of(mode);
    }

    /** Bookinfo where the reviews pods run sidecars (tlsMode label) under their own service account. */
    private static TestMesh mesh(boolean reviewsInMesh) {
        TestMesh mesh = new TestMesh();
        mesh.service("productpage", "default", "10.96.0.10", Map.of("app", "productpage"), TestMesh.http(9080));
        mesh.service("reviews", "default", "10.96.0.11", Map.of("app", "reviews"), TestMesh.http(9080),
                TestMesh.port("tcp-db", 5432, 5432, Protocol.TCP));
        mesh.service("grpc-api", "default", "10.96.0.12", Map.of("app", "grpc-api"),
                TestMesh.port("grpc", 7070, 7070, Protocol.GRPC));
        mesh.pod("productpage-v1-0", "default", "10.0.0.10", Map.of("app", "productpage", "version", "v1"));
        for (String[] pod : new String[][] {{"reviews-v1-0", "10.0.0.21", "v1"}, {"reviews-v2-0", "10.0.0.22", "v2"}}) {
            Map<String, String> labels = reviewsInMesh
                    ? Map.of("app", "reviews", "version", pod[2], WorkloadInstance.TLS_MODE_LABEL, "istio")
                    : Map.of("app", "reviews", "version", pod[2]);
            mesh.pods.add(new WorkloadInstance(ObjectMeta.of("default", pod[0]).withLabels(labels), pod[1],
                    "bookinfo-reviews", "Deployment", "reviews-" + pod[2], null, false));
        }
        mesh.pod("grpc-api-0", "default", "10.0.0.41", Map.of("app", "grpc-api"));
        return mesh;
    }

    private static DestinationRuleResource reviewsRule(Optional<ClientTls> top, Optional<ClientTls> v1,
                                                       boolean withSelector) {
        Optional<TrafficPolicy> policy = top.map(t -> new TrafficPolicy(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(t), List.of()));
        Optional<TrafficPolicy> subsetPolicy = v1.map(t -> new TrafficPolicy(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(t), List.of()));
        return new DestinationRuleResource(ObjectMeta.of("default", "reviews"), REVIEWS,
                List.of(new DestinationRuleResource.Subset("v1", Map.of("version", "v1"), subsetPolicy)), List.of(),
                withSelector ? Optional.of(Map.of("app", "productpage")) : Optional.empty(), policy);
    }

    private ProxyResources generate(TestMesh mesh, ProxyIdentity proxy) {
        ProxyResources resources = generator.generate(mesh.snapshot(), proxy, mesh.scope(proxy.namespace()));
        assertThat(XdsValidator.validate(resources)).as("Envoy's validate rules").isEmpty();
        return resources;
    }

    private static Cluster cluster(ProxyResources r, String name) {
        return (Cluster) r.clusters().get(name).orElseThrow(() -> new AssertionError("no " + name)).proto();
    }

    private static UpstreamTlsContext upstream(io.envoyproxy.envoy.config.core.v3.TransportSocket socket)
            throws Exception {
        assertThat(socket.getName()).isEqualTo("envoy.transport_sockets.tls");
        return socket.getTypedConfig().unpack(UpstreamTlsContext.class);
    }

    private static Upstream upstreamOf(Cluster c) throws Exception {
        if (c.getTransportSocketMatchesCount() > 0) {
            assertThat(c.hasTransportSocket()).isFalse();
            return Upstream.AUTO_MTLS_MATCHES;
        }
        if (!c.hasTransportSocket()) {
            return Upstream.PLAINTEXT;
        }
        UpstreamTlsContext tls = upstream(c.getTransportSocket());
        var certs = tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigsList();
        if (certs.isEmpty()) {
            return Upstream.SIMPLE_TLS_SOCKET;
        }
        return certs.get(0).getName().equals("default") ? Upstream.ISTIO_MUTUAL_SOCKET : Upstream.MUTUAL_TLS_SOCKET;
    }

    static Stream<Arguments> outboundMatrix() {
        Optional<ClientTls> none = Optional.empty();
        return Stream.of(
                // auto-mTLS: on unless the service's namespace (or the mesh) disables it (TestBuildAutoMtlsSettings)
                Arguments.of("no policy at all", List.of(), none, Upstream.AUTO_MTLS_MATCHES),
                Arguments.of("mesh STRICT", List.of(mesh(Mode.STRICT)), none, Upstream.AUTO_MTLS_MATCHES),
                Arguments.of("mesh DISABLE", List.of(mesh(Mode.DISABLE)), none, Upstream.PLAINTEXT),
                Arguments.of("namespace DISABLE", List.of(namespace(Mode.DISABLE)), none, Upstream.PLAINTEXT),
                Arguments.of("mesh DISABLE, namespace STRICT", List.of(mesh(Mode.DISABLE), namespace(Mode.STRICT)),
                        none, Upstream.AUTO_MTLS_MATCHES),
                Arguments.of("mesh DISABLE, namespace UNSET inherits", List.of(mesh(Mode.DISABLE),
                        namespace(Mode.UNSET)), none, Upstream.PLAINTEXT),
                Arguments.of("workload DISABLE (clients guess by namespace only)",
                        List.of(reviewsWorkload(Mode.DISABLE, Map.of())), none, Upstream.AUTO_MTLS_MATCHES),
                Arguments.of("port DISABLE (clients guess by namespace only)",
                        List.of(reviewsWorkload(Mode.STRICT, Map.of(9080, Mode.DISABLE))), none,
                        Upstream.AUTO_MTLS_MATCHES),
                // a DestinationRule's tls is used as written (TestApplyUpstreamTLSSettings, user-supplied)
                Arguments.of("DR ISTIO_MUTUAL", List.of(), Optional.of(tls(TlsMode.ISTIO_MUTUAL)),
                        Upstream.ISTIO_MUTUAL_SOCKET),
                Arguments.of("DR ISTIO_MUTUAL beats namespace DISABLE", List.of(namespace(Mode.DISABLE)),
                        Optional.of(tls(TlsMode.ISTIO_MUTUAL)), Upstream.ISTIO_MUTUAL_SOCKET),
                Arguments.of("DR DISABLE beats mesh STRICT", List.of(mesh(Mode.STRICT)),
                        Optional.of(tls(TlsMode.DISABLE)), Upstream.PLAINTEXT),
                Arguments.of("DR SIMPLE", List.of(), Optional.of(tls(TlsMode.SIMPLE)), Upstream.SIMPLE_TLS_SOCKET),
                Arguments.of("DR MUTUAL with files", List.of(), Optional.of(new ClientTls(TlsMode.MUTUAL, "", List.of(),
                        "", "/ca.pem", "/c.pem", "/k.pem", false, "")), Upstream.MUTUAL_TLS_SOCKET));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outboundMatrix")
    void outboundCluster_originatesTheTlsIstiodWould(String name, List<PeerAuthenticationResource> policies,
                                                     Optional<ClientTls> tls, Upstream expected) throws Exception {
        for (boolean inMesh : new boolean[] {true, false}) {
            TestMesh m = mesh(inMesh);
            policies.forEach(m::peerAuthentication);
            if (tls.isPresent()) {
                m.destinationRule(reviewsRule(tls, Optional.empty(), false));
            }
            ProxyResources r = generate(m, PRODUCTPAGE);
            assertThat(upstreamOf(cluster(r, REVIEWS_CLUSTER))).as(name + ", endpoints in mesh: " + inMesh)
                    .isEqualTo(expected);
            // endpoint metadata says which endpoints take the mTLS match, whatever the cluster does with it
            assertThat(tlsModes(r, REVIEWS_CLUSTER)).as(name).containsOnly(inMesh ? "istio" : "");
        }
    }

    private static List<String> tlsModes(ProxyResources r, String cluster) {
        ClusterLoadAssignment cla = (ClusterLoadAssignment) r.endpoints().get(cluster).orElseThrow().proto();
        List<String> out = new ArrayList<>();
        for (var locality : cla.getEndpointsList()) {
            for (LbEndpoint e : locality.getLbEndpointsList()) {
                var meta = e.getMetadata().getFilterMetadataMap().get("envoy.transport_socket_match");
                out.add(meta == null ? "" : meta.getFieldsOrThrow("tlsMode").getStringValue());
            }
        }
        return out;
    }

    @Test
    void autoMtls_matchesIstioEndpointsWithIstioMutualAndTheRestWithRawBuffer() throws Exception {
        Cluster c = cluster(generate(mesh(true), PRODUCTPAGE), REVIEWS_CLUSTER);
        assertThat(c.getTransportSocketMatchesList()).extracting(Cluster.TransportSocketMatch::getName)
                .containsExactly("tlsMode-istio", "tlsMode-disabled");
        Cluster.TransportSocketMatch istio = c.getTransportSocketMatches(0);
        assertThat(istio.getMatch().getFieldsOrThrow("tlsMode").getStringValue()).isEqualTo("istio");
        UpstreamTlsContext tls = upstream(istio.getTransportSocket());
        assertThat(tls.getSni()).isEqualTo("outbound_.9080_._." + REVIEWS);
        var common = tls.getCommonTlsContext();
        assertThat(common.getAlpnProtocolsList()).containsExactly("istio-peer-exchange", "istio");
        assertThat(common.getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("default");
        assertThat(common.getTlsCertificateSdsSecretConfigs(0).getSdsConfig().getApiConfigSource().getGrpcServices(0)
                .getEnvoyGrpc().getClusterName()).isEqualTo("sds-grpc");
        var validation = common.getCombinedValidationContext();
        assertThat(validation.getValidationContextSdsSecretConfig().getName()).isEqualTo("ROOTCA");
        assertThat(validation.getDefaultValidationContext().getMatchSubjectAltNamesList())
                .extracting(m -> m.getExact()).containsExactly(SAN);
        Cluster.TransportSocketMatch plain = c.getTransportSocketMatches(1);
        assertThat(plain.getMatch().getFieldsCount()).isZero();
        assertThat(plain.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.raw_buffer");
    }

    @Test
    void subsetCluster_getsItsOwnSni_andASubsetTlsOverridesTheDestinations() throws Exception {
        TestMesh m = mesh(true);
        m.destinationRule(reviewsRule(Optional.empty(), Optional.of(tls(TlsMode.DISABLE)), false));
        ProxyResources r = generate(m, PRODUCTPAGE);
        assertThat(upstreamOf(cluster(r, REVIEWS_V1_CLUSTER))).isEqualTo(Upstream.PLAINTEXT);
        assertThat(upstreamOf(cluster(r, REVIEWS_CLUSTER))).isEqualTo(Upstream.AUTO_MTLS_MATCHES);

        TestMesh auto = mesh(true);
        auto.destinationRule(reviewsRule(Optional.empty(), Optional.empty(), false));
        Cluster v1 = cluster(generate(auto, PRODUCTPAGE), REVIEWS_V1_CLUSTER);
        assertThat(upstream(v1.getTransportSocketMatches(0).getTransportSocket()).getSni())
                .isEqualTo("outbound_.9080_.v1_." + REVIEWS);
    }

    @Test
    void drIstioMutual_usesItsOwnSniAndSubjectAltNames_whenGiven() throws Exception {
        TestMesh m = mesh(true);
        m.destinationRule(reviewsRule(Optional.of(new ClientTls(TlsMode.ISTIO_MUTUAL, "custom.sni",
                List.of("spiffe://other/ns/x/sa/y"), "", "", "", "", false, "")), Optional.empty(), false));
        UpstreamTlsContext tls = upstream(cluster(generate(m, PRODUCTPAGE), REVIEWS_CLUSTER).getTransportSocket());
        assertThat(tls.getSni()).isEqualTo("custom.sni");
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
                .getMatchSubjectAltNamesList()).extracting(s -> s.getExact()).containsExactly("spiffe://other/ns/x/sa/y");
    }

    @Test
    void drSimpleWithoutSniOrCa_validatesAgainstTheSystemRoots_withAutoSniAndSanValidation() throws Exception {
        TestMesh m = mesh(true);
        m.destinationRule(reviewsRule(Optional.of(tls(TlsMode.SIMPLE)), Optional.empty(), false));
        Cluster c = cluster(generate(m, PRODUCTPAGE), REVIEWS_CLUSTER);
        UpstreamTlsContext tls = upstream(c.getTransportSocket());
        assertThat(tls.getSni()).isEmpty();
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getValidationContextSdsSecretConfig()
                .getName()).isEqualTo("file-root:system");
        HttpProtocolOptions options = c.getTypedExtensionProtocolOptionsOrThrow(
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions").unpack(HttpProtocolOptions.class);
        assertThat(options.getUpstreamHttpProtocolOptions().getAutoSni()).isTrue();
        assertThat(options.getUpstreamHttpProtocolOptions().getAutoSanValidation()).isTrue();
        assertThat(options.hasExplicitHttpConfig()).isTrue();
    }

    @Test
    void drMutualWithFiles_namesThemAsIstioAgentsFileSecrets() throws Exception {
        TestMesh m = mesh(true);
        m.destinationRule(reviewsRule(Optional.of(new ClientTls(TlsMode.MUTUAL, "reviews.example", List.of(), "",
                "/ca.pem", "/c.pem", "/k.pem", false, "")), Optional.empty(), false));
        UpstreamTlsContext tls = upstream(cluster(generate(m, PRODUCTPAGE), REVIEWS_CLUSTER).getTransportSocket());
        assertThat(tls.getSni()).isEqualTo("reviews.example");
        assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName())
                .isEqualTo("file-cert:/c.pem~/k.pem");
        assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getValidationContextSdsSecretConfig()
                .getName()).isEqualTo("file-root:/ca.pem");
    }

    @Test
    void drCredentialName_onlyThroughARuleWithAWorkloadSelector_asIstiodAllowsSidecars() throws Exception {
        ClientTls credential = new ClientTls(TlsMode.SIMPLE, "", List.of(), "reviews-cert", "", "", "", false, "");
        TestMesh without = mesh(true);
        without.destinationRule(reviewsRule(Optional.of(credential), Optional.empty(), false));
        assertThat(upstreamOf(cluster(generate(without, PRODUCTPAGE), REVIEWS_CLUSTER))).isEqualTo(Upstream.PLAINTEXT);

        TestMesh with = mesh(true);
        with.destinationRule(reviewsRule(Optional.of(credential), Optional.empty(), true));
        UpstreamTlsContext tls = upstream(cluster(generate(with, PRODUCTPAGE), REVIEWS_CLUSTER).getTransportSocket());
        var sds = tls.getCommonTlsContext().getCombinedValidationContext().getValidationContextSdsSecretConfig();
        assertThat(sds.getName()).isEqualTo("kubernetes://reviews-cert-cacert");
        assertThat(sds.getSdsConfig().hasAds()).isTrue();
    }

    @Test
    void http2Cluster_addsH2ToTheInMeshAlpn() throws Exception {
        Cluster c = cluster(generate(mesh(true), PRODUCTPAGE), "outbound|7070||grpc-api.default.svc.cluster.local");
        assertThat(upstream(c.getTransportSocketMatches(0).getTransportSocket()).getCommonTlsContext()
                .getAlpnProtocolsList()).containsExactly("istio-peer-exchange", "istio", "h2");
    }

    @Test
    void meshExternalServiceEntry_getsNoAutoMtls() throws Exception {
        TestMesh m = mesh(true);
        m.serviceEntry("api", "default", "api.example.com", MeshService.Resolution.DNS,
                List.of(new MeshService.ServiceEntryEndpoint("api.example.com", Map.of(), Map.of(), "", 0)),
                TestMesh.port("https", 443, 443, Protocol.TLS));
        assertThat(upstreamOf(cluster(generate(m, PRODUCTPAGE), "outbound|443||api.example.com")))
                .isEqualTo(Upstream.PLAINTEXT);
    }

    // ----- inbound: virtualInbound chains per port by the workload's effective mode

    /** A chain's shape: transport protocol, whether it matches Istio ALPNs, whether it terminates TLS. */
    record ChainShape(String transport, boolean istioAlpn, boolean terminatesMtls) {
    }

    private static List<ChainShape> inboundChains(ProxyResources r, int port) throws Exception {
        Listener inbound = (Listener) r.listeners().get("virtualInbound").orElseThrow().proto();
        List<ChainShape> out = new ArrayList<>();
        for (FilterChain chain : inbound.getFilterChainsList()) {
            if (chain.getFilterChainMatch().getDestinationPort().getValue() != port) {
                continue;
            }
            boolean mtls = chain.hasTransportSocket();
            if (mtls) {
                DownstreamTlsContext tls = chain.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
                assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
                assertThat(tls.getCommonTlsContext().getCombinedValidationContext()
                        .getValidationContextSdsSecretConfig().getName()).isEqualTo("ROOTCA");
                assertThat(tls.getCommonTlsContext().getCombinedValidationContext().getDefaultValidationContext()
                        .getMatchSubjectAltNamesList()).extracting(m -> m.getPrefix())
                        .containsExactly("spiffe://cluster.local/"); // istiod's TrustDomainsForValidation
            }
            out.add(new ChainShape(chain.getFilterChainMatch().getTransportProtocol(),
                    chain.getFilterChainMatch().getApplicationProtocolsList().contains("istio"), mtls));
        }
        return out;
    }

    private static final ChainShape MTLS_FROM_SIDECARS = new ChainShape("tls", true, true);
    private static final ChainShape ANY_TLS_TERMINATED = new ChainShape("tls", false, true);
    private static final ChainShape TLS_PASSED_THROUGH = new ChainShape("tls", false, false);
    private static final ChainShape PLAINTEXT = new ChainShape("raw_buffer", false, false);

    static Stream<Arguments> inboundMatrix() {
        return Stream.of(
                Arguments.of("no policy: PERMISSIVE", List.of(), List.of(MTLS_FROM_SIDECARS, PLAINTEXT),
                        List.of(MTLS_FROM_SIDECARS, TLS_PASSED_THROUGH, PLAINTEXT)),
                Arguments.of("mesh STRICT", List.of(mesh(Mode.STRICT)), List.of(ANY_TLS_TERMINATED),
                        List.of(ANY_TLS_TERMINATED)),
                Arguments.of("namespace DISABLE", List.of(mesh(Mode.STRICT), namespace(Mode.DISABLE)),
                        List.of(PLAINTEXT), List.of(PLAINTEXT)),
                Arguments.of("workload STRICT over namespace DISABLE", List.of(namespace(Mode.DISABLE),
                        reviewsWorkload(Mode.STRICT, Map.of())), List.of(ANY_TLS_TERMINATED),
                        List.of(ANY_TLS_TERMINATED)),
                Arguments.of("port 9080 DISABLE under a STRICT workload", List.of(
                        reviewsWorkload(Mode.STRICT, Map.of(9080, Mode.DISABLE))), List.of(PLAINTEXT),
                        List.of(ANY_TLS_TERMINATED)),
                Arguments.of("port 5432 UNSET inherits the workload's PERMISSIVE", List.of(mesh(Mode.STRICT),
                        reviewsWorkload(Mode.PERMISSIVE, Map.of(5432, Mode.UNSET))),
                        List.of(MTLS_FROM_SIDECARS, PLAINTEXT), List.of(MTLS_FROM_SIDECARS, TLS_PASSED_THROUGH, PLAINTEXT)),
                Arguments.of("another workload's policy does not apply", List.of(pa("default", "other",
                        Map.of("app", "productpage"), Mode.STRICT, Map.of())), List.of(MTLS_FROM_SIDECARS, PLAINTEXT),
                        List.of(MTLS_FROM_SIDECARS, TLS_PASSED_THROUGH, PLAINTEXT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inboundMatrix")
    void inboundChains_followTheEffectivePeerAuthenticationPerPort(String name,
                                                                   List<PeerAuthenticationResource> policies,
                                                                   List<ChainShape> http, List<ChainShape> tcp)
            throws Exception {
        TestMesh m = mesh(true);
        policies.forEach(m::peerAuthentication);
        ProxyResources r = generate(m, REVIEWS_PROXY);
        assertThat(inboundChains(r, 9080)).as(name + ": HTTP port 9080").isEqualTo(http);
        assertThat(inboundChains(r, 5432)).as(name + ": TCP port 5432").isEqualTo(tcp);
        Listener inbound = (Listener) r.listeners().get("virtualInbound").orElseThrow().proto();
        boolean anyTls = Stream.concat(http.stream(), tcp.stream()).anyMatch(c -> c.transport().equals("tls"));
        assertThat(inbound.getListenerFiltersList()).extracting(f -> f.getName()).as(name)
                .contains("envoy.filters.listener.original_dst")
                .containsAll(anyTls ? List.of("envoy.filters.listener.tls_inspector") : List.of());
    }

    @Test
    void inboundMtls_offersHttpAlpnOnHttpChains_andPeerExchangeOnTcpChains() throws Exception {
        ProxyResources r = generate(mesh(true), REVIEWS_PROXY);
        Listener inbound = (Listener) r.listeners().get("virtualInbound").orElseThrow().proto();
        List<List<String>> alpn = new ArrayList<>();
        for (FilterChain chain : inbound.getFilterChainsList()) {
            if (chain.hasTransportSocket()) {
                alpn.add(chain.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class)
                        .getCommonTlsContext().getAlpnProtocolsList());
            }
        }
        // per port (and on the passthrough chains): HTTP chains h2/http1.1, TCP chains also istio-peer-exchange
        assertThat(alpn).containsOnly(List.of("h2", "http/1.1"), List.of("istio-peer-exchange", "h2", "http/1.1"))
                .contains(List.of("h2", "http/1.1"), List.of("istio-peer-exchange", "h2", "http/1.1"));
    }

    // ----- plain Envoy: no istio-agent, so no SDS, no mTLS, no tlsMode metadata

    @Test
    void plainEnvoyNode_getsNoSdsNoTransportSocketsAndNoTlsModeMetadata() {
        TestMesh m = mesh(true);
        m.peerAuthentication(mesh(Mode.STRICT));
        m.destinationRule(reviewsRule(Optional.of(tls(TlsMode.ISTIO_MUTUAL)), Optional.empty(), false));
        for (ProxyIdentity proxy : List.of(PRODUCTPAGE, REVIEWS_PROXY)) {
            ProxyIdentity envoy = new ProxyIdentity(proxy.podName(), proxy.namespace(), proxy.labels(), proxy.ip(),
                    ProxyIdentity.ProxyKind.ENVOY);
            ProxyResources r = generate(m, envoy);
            String all = String.join("\n", Stream.of(r.clusters(), r.listeners(), r.endpoints(), r.routes())
                    .flatMap(set -> set.resources().stream()).map(XdsResource::proto).map(XdsJson::print).toList());
            assertThat(all).as(envoy.proxyId()).doesNotContain("sds-grpc", "\"transportSocket\":",
                    "transportSocketMatches", "tlsMode", "UpstreamTlsContext", "DownstreamTlsContext");
        }
    }

    @Test
    void proxylessGrpc_getsNoTransportSockets() {
        TestMesh m = mesh(true);
        m.peerAuthentication(mesh(Mode.STRICT));
        ProxyResources r = generator.generate(m.snapshot(), TestMesh.grpc("productpage-v1-0", "default", "10.0.0.10",
                Map.of("app", "productpage")), m.scope("default"));
        assertThat(r.clusters().resources()).allSatisfy(c -> {
            Cluster cluster = (Cluster) c.proto();
            assertThat(cluster.hasTransportSocket()).isFalse();
            assertThat(cluster.getTransportSocketMatchesCount()).isZero();
        });
    }

    @Test
    void statNames_areDelimited_asIstio123AndLaterWriteThem() {
        ProxyResources r = generate(mesh(true), REVIEWS_PROXY);
        assertThat(cluster(r, REVIEWS_CLUSTER).getAltStatName()).isEqualTo(REVIEWS_CLUSTER + ";");
        assertThat(cluster(r, "inbound|9080||").getAltStatName()).isEqualTo("inbound|9080||;");
        assertThat(cluster(r, "InboundPassthroughCluster").getAltStatName()).isEqualTo("PassthroughCluster;");
        assertThat(XdsJson.print(r.listeners().get("0.0.0.0_9080").orElseThrow().proto()))
                .contains("\"statPrefix\": \"outbound_0.0.0.0_9080;\"");
        assertThat(XdsJson.print(r.listeners().get("virtualInbound").orElseThrow().proto()))
                .contains("\"statPrefix\": \"inbound_0.0.0.0_9080;\"")
                .contains("\"statPrefix\": \"inbound|5432||\""); // tcp_proxy keeps the cluster name, as in Istio
    }

}
