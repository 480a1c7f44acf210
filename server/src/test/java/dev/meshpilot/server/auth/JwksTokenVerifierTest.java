package dev.meshpilot.server.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Service-account JWTs checked against a JWKS file with the JDK's signature code. */
class JwksTokenVerifierTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** RSA key generation is the slow part of these tests: two keys for the whole class. */
    private static final TestJwts KEY = new TestJwts("k1");
    private static final TestJwts OTHER_KEY = new TestJwts("new");

    @TempDir
    Path dir;

    private JwksTokenVerifier verifier(TestJwts... keys) throws Exception {
        Path jwks = dir.resolve("jwks.json");
        TestJwts.writeJwks(jwks, keys);
        return new JwksTokenVerifier(jwks, Optional.of(TestJwts.ISSUER), Set.of("istio-ca"), CLOCK);
    }

    private static RefusalReason reasonOf(ThrowingVerify v) {
        try {
            v.run();
        } catch (AuthException e) {
            return e.reason();
        }
        throw new AssertionError("the token was accepted");
    }

    @FunctionalInterface
    interface ThrowingVerify {
        void run() throws AuthException;
    }

    @Test
    void projectedToken_namesTheServiceAccountFromItsKubernetesClaims() throws Exception {
        TestJwts key = KEY;
        CallerIdentity c = verifier(key).verify(key.serviceAccountToken("shop", "cart", List.of("istio-ca"),
                NOW.plus(Duration.ofHours(1))));
        assertThat(c.display()).isEqualTo("shop/cart");
        assertThat(c.method()).isEqualTo(CallerIdentity.Method.JWT);
    }

    @Test
    void tokenWithOnlyASubject_namesTheServiceAccountFromIt() throws Exception {
        TestJwts key = KEY;
        ObjectNode claims = JSON.createObjectNode().put("iss", TestJwts.ISSUER)
                .put("sub", "system:serviceaccount:shop:cart").put("aud", "istio-ca")
                .put("exp", NOW.plusSeconds(600).getEpochSecond());
        assertThat(verifier(key).verify(key.sign(claims)).display()).isEqualTo("shop/cart");
    }

    @Test
    void expiredToken_isExpired() throws Exception {
        TestJwts key = KEY;
        JwksTokenVerifier v = verifier(key);
        String token = key.serviceAccountToken("shop", "cart", List.of("istio-ca"), NOW.minus(Duration.ofMinutes(5)));
        assertThat(reasonOf(() -> v.verify(token))).isEqualTo(RefusalReason.EXPIRED_TOKEN);
    }

    @Test
    void tokenForAnotherAudience_isInvalid() throws Exception {
        TestJwts key = KEY;
        JwksTokenVerifier v = verifier(key);
        String token = key.serviceAccountToken("shop", "cart", List.of("https://kubernetes.default.svc"),
                NOW.plus(Duration.ofHours(1)));
        assertThatThrownBy(() -> v.verify(token)).hasMessageContaining("audience");
    }

    @Test
    void tokenOfAnotherIssuer_isInvalid() throws Exception {
        TestJwts key = KEY;
        ObjectNode claims = JSON.createObjectNode().put("iss", "https://evil.example")
                .put("sub", "system:serviceaccount:shop:cart").put("aud", "istio-ca")
                .put("exp", NOW.plusSeconds(600).getEpochSecond());
        JwksTokenVerifier v = verifier(key);
        assertThatThrownBy(() -> v.verify(key.sign(claims))).hasMessageContaining("issuer");
    }

    @Test
    void tamperedPayload_failsTheSignature() throws Exception {
        TestJwts key = KEY;
        JwksTokenVerifier v = verifier(key);
        String[] parts = key.serviceAccountToken("shop", "cart", List.of("istio-ca"), NOW.plusSeconds(600))
                .split("\\.");
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("shop", "bank").getBytes());
        assertThatThrownBy(() -> v.verify(parts[0] + "." + forged + "." + parts[2]))
                .hasMessageContaining("signature does not verify");
    }

    @Test
    void garbage_isInvalidWithAMessage_neverAnException() throws Exception {
        JwksTokenVerifier v = verifier(KEY);
        assertThat(reasonOf(() -> v.verify("not a jwt"))).isEqualTo(RefusalReason.INVALID_TOKEN);
        assertThat(reasonOf(() -> v.verify("a.b.c"))).isEqualTo(RefusalReason.INVALID_TOKEN);
        assertThat(reasonOf(() -> v.verify("eyJhbGciOiJub25lIn0.e30."))).isEqualTo(RefusalReason.INVALID_TOKEN);
    }

    @Test
    void rotatedJwksFile_isReadAgain() throws Exception {
        TestJwts oldKey = KEY;
        TestJwts newKey = OTHER_KEY;
        JwksTokenVerifier v = verifier(oldKey);
        String token = newKey.serviceAccountToken("shop", "cart", List.of("istio-ca"), NOW.plusSeconds(600));
        assertThat(reasonOf(() -> v.verify(token))).isEqualTo(RefusalReason.INVALID_TOKEN);
        Path jwks = dir.resolve("jwks.json");
        TestJwts.writeJwks(jwks, oldKey, newKey);
        Files.setLastModifiedTime(jwks, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(v.verify(token).display()).isEqualTo("shop/cart");
    }

    @Test
    void jwksWithoutKeys_isRefusedAtStart_namingTheFile() throws Exception {
        Path jwks = dir.resolve("empty.json");
        Files.writeString(jwks, "{\"keys\":[]}");
        assertThatThrownBy(() -> new JwksTokenVerifier(jwks, Optional.empty(), Set.of("istio-ca"), CLOCK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty.json");
    }
}
