package dev.meshpilot.server.auth;

import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.scope.ProxyIdentity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The small parts: SPIFFE ids, the connection check, the refusal ring, generated certificates. */
class AuthPiecesTest {
    @TempDir
    Path dir;

    private static ProxyIdentity node(String pod, String ns) {
        return new ProxyIdentity(pod, ns, Map.of(), "", ProxyIdentity.ProxyKind.SIDECAR);
    }

    private static CallerIdentity caller(String ns, String sa) {
        return new CallerIdentity(ns, sa, CallerIdentity.Method.MTLS, "spiffe://cluster.local/ns/" + ns + "/sa/" + sa);
    }

    @Test
    void spiffeUri_isParsed_andMalformedOnesAreRefusedWithTheirForm() {
        assertThat(SpiffeId.parse("spiffe://cluster.local/ns/shop/sa/cart"))
                .isEqualTo(new SpiffeId("cluster.local", "shop", "cart"));
        assertThatThrownBy(() -> SpiffeId.parse("spiffe://cluster.local/ns/shop")).hasMessageContaining("/ns/NS/sa/SA");
        assertThatThrownBy(() -> SpiffeId.parse("https://cluster.local/ns/a/sa/b")).hasMessageContaining("spiffe://");
    }

    @Test
    void callerOfAnotherNamespace_isNamespaceMismatch() {
        assertThatThrownBy(() -> ConnectionAuthorizer.check(caller("shop", "cart"), node("x", "bank"), Optional.empty()))
                .isInstanceOfSatisfying(AuthException.class,
                        e -> assertThat(e.reason()).isEqualTo(RefusalReason.NAMESPACE_MISMATCH));
    }

    @Test
    void knownPodWithoutServiceAccountName_runsAsDefault() throws Exception {
        WorkloadInstance pod = new WorkloadInstance(new ObjectMeta("shop", "x", null, Map.of(), Map.of()), "10.0.0.1", "",
                "", "", null, false);
        ConnectionAuthorizer.check(caller("shop", "default"), node("x", "shop"), Optional.of(pod));
        assertThatThrownBy(() -> ConnectionAuthorizer.check(caller("shop", "cart"), node("x", "shop"), Optional.of(pod)))
                .isInstanceOfSatisfying(AuthException.class,
                        e -> assertThat(e.reason()).isEqualTo(RefusalReason.SERVICE_ACCOUNT_MISMATCH));
    }

    @Test
    void refusals_areBounded_andClientTextIsEscapedAndTruncated() {
        AuthRefusals refusals = new AuthRefusals(new SimpleMeterRegistry(), Clock.systemUTC());
        for (int i = 0; i < AuthRefusals.CAPACITY + 50; i++) {
            refusals.record(RefusalReason.NAMESPACE_MISMATCH, "peer", "node-" + i, "", "m");
        }
        refusals.record(RefusalReason.INVALID_TOKEN, "peer", "forged\nINFO: all good\"" + "x".repeat(1000), "", "m");
        assertThat(refusals.recent()).hasSize(AuthRefusals.CAPACITY);
        assertThat(refusals.total()).isEqualTo(AuthRefusals.CAPACITY + 51);
        String node = refusals.recent().get(AuthRefusals.CAPACITY - 1).claimedNode();
        assertThat(node).startsWith("forged\\u000aINFO: all good\\\"").doesNotContain("\n")
                .endsWith("...(1022 chars)");
    }

    @Test
    void generatedCertificates_areReusedOnRestart() throws Exception {
        GeneratedCertificates first = GeneratedCertificates.ensure(dir.resolve("tls"));
        String ca = Files.readString(first.ca());
        String server = Files.readString(first.certificate());
        GeneratedCertificates again = GeneratedCertificates.ensure(dir.resolve("tls"));
        assertThat(Files.readString(again.ca())).isEqualTo(ca);
        assertThat(Files.readString(again.certificate())).isEqualTo(server);
        assertThat(CertificateAuthority.readCertificate(again.certificate()).getSubjectAlternativeNames())
                .anySatisfy(san -> assertThat(san.get(1)).isEqualTo("localhost"));
    }
}
