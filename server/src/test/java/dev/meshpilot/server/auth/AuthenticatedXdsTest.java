package dev.meshpilot.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.server.MeshpilotServer;
import dev.meshpilot.server.ServerOptions;
import dev.meshpilot.server.push.PushSettings;
import io.grpc.ChannelCredentials;
import io.grpc.Status;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLS xDS port of a real server (generated CA, mTLS against it, JWTs against a JWKS file) with real grpc-java
 * clients over loopback: who may claim which node, and how refusals show in {@code /debug/authz} and metrics.
 */
class AuthenticatedXdsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    static Path dir;
    private static MeshpilotServer server;
    private static GeneratedCertificates certs;
    private static CertificateAuthority ca;
    private static TestJwts jwts;

    @BeforeAll
    static void start() throws IOException {
        Path mesh = Files.createDirectory(dir.resolve("mesh"));
        AuthMesh.write(mesh);
        jwts = new TestJwts("key-1");
        Path jwks = dir.resolve("jwks.json");
        TestJwts.writeJwks(jwks, jwts);
        XdsAuthOptions auth = XdsAuthOptions.generated(0, dir.resolve("tls")).withPort(0, "127.0.0.1")
                .withJwks(jwks, Optional.of(TestJwts.ISSUER));
        server = MeshpilotServer.start(new ServerOptions(mesh, "127.0.0.1", 0, "127.0.0.1", 0, "istio-system",
                new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)), 4).withAuth(auth));
        certs = GeneratedCertificates.ensure(dir.resolve("tls"));
        ca = certs.authority();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ChannelCredentials workload(String ns, String sa) throws IOException {
        return clientCertificate(ca.issueWorkload(new SpiffeId("cluster.local", ns, sa), DAY), ns + "-" + sa);
    }

    private static ChannelCredentials clientCertificate(CertificateAuthority.Issued issued, String name)
            throws IOException {
        Path cert = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + "-key.pem");
        issued.write(cert, key);
        return AdsProbe.tls(certs.ca(), cert, key);
    }

    private static ChannelCredentials serverTrustOnly() throws IOException {
        return AdsProbe.tls(certs.ca(), null, null);
    }

    private static AdsProbe.Outcome sotw(ChannelCredentials creds, String podDotNs) {
        return AdsProbe.sotw(server.xdsTlsPort(), creds, Optional.empty(), AdsProbe.node(podDotNs, Map.of()));
    }

    static JsonNode authz() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.debugAddress().getPort() + "/debug/authz");
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    static String metrics() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.debugAddress().getPort() + "/metrics");
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static boolean refusalListed(String reason, String nodeFragment) throws Exception {
        for (JsonNode r : authz().get("recentRefusals")) {
            if (r.get("reason").asText().equals(reason) && r.get("node").asText().contains(nodeFragment)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void spiffeCertificateOfThePodsServiceAccount_isServed() throws Exception {
        AdsProbe.Outcome o = sotw(workload("default", "bookinfo-productpage"), "productpage-v1-0.default");
        assertThat(o.status().getCode()).isEqualTo(Status.Code.OK);
        assertThat(o.clusters().orElseThrow()).contains(AuthMesh.DETAILS_CLUSTER);
    }

    @Test
    void nodeOfAnotherNamespace_isPermissionDenied_listedInAuthz_andCounted() throws Exception {
        AdsProbe.Outcome o = sotw(workload("default", "bookinfo-productpage"), "invented-0.other");
        assertThat(o.served()).isFalse();
        assertThat(o.status().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(o.status().getDescription()).contains("default/bookinfo-productpage").contains("'other'");
        assertThat(refusalListed("namespace_mismatch", "invented-0.other")).isTrue();
        assertThat(metrics()).containsPattern("meshpilot_xds_auth_rejections_total\\{reason=\"namespace_mismatch\"} [1-9]");
    }

    @Test
    void knownPodOfAnotherServiceAccount_isPermissionDenied() throws Exception {
        AdsProbe.Outcome o = sotw(workload("default", "bookinfo-productpage"), "reviews-v1-0.default");
        assertThat(o.status().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(o.status().getDescription()).contains("runs as service account 'bookinfo-reviews'");
    }

    @Test
    void unknownPodInTheCallersNamespace_isServed_withItsDeclaredLabels() throws Exception {
        AdsProbe.Outcome o = AdsProbe.sotw(server.xdsTlsPort(), workload("default", "anything"), Optional.empty(),
                AdsProbe.node("tool-0.default", Map.of("app", "admin-tool")));
        assertThat(o.clusters().orElseThrow()).contains(AuthMesh.SECRET_CLUSTER);
    }

    @Test
    void unknownPodDeclaringLabelsInAnotherNamespace_isPermissionDenied() throws Exception {
        AdsProbe.Outcome o = AdsProbe.sotw(server.xdsTlsPort(), workload("default", "anything"), Optional.empty(),
                AdsProbe.node("tool-0.other", Map.of("app", "admin-tool")));
        assertThat(o.served()).isFalse();
        assertThat(o.status().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void deltaStream_isAuthorizedTheSameWay() throws Exception {
        AdsProbe.Outcome denied = AdsProbe.delta(server.xdsTlsPort(), workload("default", "bookinfo-productpage"),
                Optional.empty(), AdsProbe.node("invented-1.other", Map.of()));
        assertThat(denied.status().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        AdsProbe.Outcome served = AdsProbe.delta(server.xdsTlsPort(), workload("default", "bookinfo-productpage"),
                Optional.empty(), AdsProbe.node("productpage-v1-0.default", Map.of()));
        assertThat(served.clusters().orElseThrow()).contains(AuthMesh.DETAILS_CLUSTER);
    }

    @Test
    void certificateWithoutSpiffeSan_isUnauthenticated() throws Exception {
        ChannelCredentials dnsOnly = clientCertificate(ca.issueClient("not-a-workload",
                List.of(new GeneralName(GeneralName.dNSName, "client.example")), DAY), "dns-only");
        AdsProbe.Outcome o = sotw(dnsOnly, "productpage-v1-0.default");
        assertThat(o.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(o.status().getDescription()).contains("no SPIFFE URI SAN");
        assertThat(metrics()).containsPattern("meshpilot_xds_auth_rejections_total\\{reason=\"invalid_certificate\"} [1-9]");
    }

    @Test
    void certificateOfAnotherTrustDomain_isUnauthenticated() throws Exception {
        ChannelCredentials foreign = clientCertificate(ca.issueWorkload(
                new SpiffeId("evil.example", "default", "bookinfo-productpage"), DAY), "foreign");
        AdsProbe.Outcome o = sotw(foreign, "productpage-v1-0.default");
        assertThat(o.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(o.status().getDescription()).contains("trust domain 'evil.example'");
    }

    @Test
    void noCredentials_isUnauthenticated() throws Exception {
        AdsProbe.Outcome o = sotw(serverTrustOnly(), "productpage-v1-0.default");
        assertThat(o.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refusalListed("no_credentials", "")).isTrue();
    }

    @Test
    void serviceAccountJwt_ofThePodsNamespace_isServed() throws Exception {
        String token = jwts.serviceAccountToken("default", "bookinfo-productpage", List.of("istio-ca"),
                Instant.now().plus(Duration.ofHours(1)));
        AdsProbe.Outcome o = AdsProbe.sotw(server.xdsTlsPort(), serverTrustOnly(), Optional.of(token),
                AdsProbe.node("productpage-v1-0.default", Map.of()));
        assertThat(o.clusters().orElseThrow()).contains(AuthMesh.DETAILS_CLUSTER);
    }

    @Test
    void jwtOfAnotherNamespace_isPermissionDenied() throws Exception {
        String token = jwts.serviceAccountToken("other", "secret", List.of("istio-ca"),
                Instant.now().plus(Duration.ofHours(1)));
        AdsProbe.Outcome o = AdsProbe.sotw(server.xdsTlsPort(), serverTrustOnly(), Optional.of(token),
                AdsProbe.node("productpage-v1-0.default", Map.of()));
        assertThat(o.status().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void expiredJwt_isUnauthenticated() throws Exception {
        String token = jwts.serviceAccountToken("default", "bookinfo-productpage", List.of("istio-ca"),
                Instant.now().minus(Duration.ofHours(1)));
        AdsProbe.Outcome o = AdsProbe.sotw(server.xdsTlsPort(), serverTrustOnly(), Optional.of(token),
                AdsProbe.node("productpage-v1-0.default", Map.of()));
        assertThat(o.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(o.status().getDescription()).contains("expired");
        assertThat(metrics()).containsPattern("meshpilot_xds_auth_rejections_total\\{reason=\"expired_token\"} [1-9]");
    }

    @Test
    void jwtSignedByAnUnknownKey_isUnauthenticated() throws Exception {
        String token = new TestJwts("key-1").serviceAccountToken("default", "bookinfo-productpage",
                List.of("istio-ca"), Instant.now().plus(Duration.ofHours(1)));
        AdsProbe.Outcome o = AdsProbe.sotw(server.xdsTlsPort(), serverTrustOnly(), Optional.of(token),
                AdsProbe.node("productpage-v1-0.default", Map.of()));
        assertThat(o.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(o.status().getDescription()).contains("signature does not verify");
    }

    @Test
    void plaintextPort_staysUnauthenticated_forLocalUse() {
        AdsProbe.Outcome o = AdsProbe.sotw(server.xdsPort(), AdsProbe.plaintext(), Optional.empty(),
                AdsProbe.node("productpage-v1-0.default", Map.of()));
        assertThat(o.clusters().orElseThrow()).contains(AuthMesh.DETAILS_CLUSTER);
    }

    @Test
    void accessLogStreamForAnotherNamespacesNode_isPermissionDenied() throws Exception {
        io.grpc.ManagedChannel channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress("localhost",
                server.xdsTlsPort(), workload("default", "bookinfo-productpage")).build();
        try {
            java.util.concurrent.CompletableFuture<Status> ended = new java.util.concurrent.CompletableFuture<>();
            var requests = io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc.newStub(channel)
                    .streamAccessLogs(new io.grpc.stub.StreamObserver<>() {
                        @Override
                        public void onNext(io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse r) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            ended.complete(Status.fromThrowable(t));
                        }

                        @Override
                        public void onCompleted() {
                            ended.complete(Status.OK);
                        }
                    });
            requests.onNext(io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage.newBuilder()
                    .setIdentifier(io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage.Identifier
                            .newBuilder().setNode(AdsProbe.node("secret-0.other", Map.of())).setLogName("als"))
                    .build());
            Status status = ended.get(15, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).contains("namespace 'other'");
        } finally {
            channel.shutdownNow();
        }
    }
}
