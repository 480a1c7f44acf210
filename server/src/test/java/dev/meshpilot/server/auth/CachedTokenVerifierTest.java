package dev.meshpilot.server.auth;

import dev.meshpilot.server.ManualClock;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link CachedTokenVerifier} remembers, for how long, and how much. */
class CachedTokenVerifierTest {
    private static final Instant START = Instant.parse("2026-12-06T12:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    /** Tokens the underlying verifier was asked about, in order. */
    private final List<String> asked = new ArrayList<>();
    private final TokenVerifier reviewer = token -> {
        asked.add(token);
        if (token.startsWith("bad")) {
            throw new AuthException(RefusalReason.TOKEN_REVIEW_FAILED, "the Kubernetes API did not authenticate it");
        }
        return new CallerIdentity("shop", "web", CallerIdentity.Method.TOKEN_REVIEW,
                "system:serviceaccount:shop:web");
    };

    private CachedTokenVerifier cache(int maxEntries) {
        return new CachedTokenVerifier(reviewer, Duration.ofMinutes(2), maxEntries, clock);
    }

    @Test
    void acceptedToken_isRememberedForThePeriod_thenReviewedAgain() throws Exception {
        CachedTokenVerifier cache = cache(10);
        CallerIdentity first = cache.verify("opaque-token");
        clock.advance(Duration.ofSeconds(119));
        assertThat(cache.verify("opaque-token")).isEqualTo(first);
        assertThat(asked).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        cache.verify("opaque-token");
        assertThat(asked).hasSize(2);
    }

    @Test
    void tokenExpiringBeforeThePeriodEnds_isRememberedOnlyUntilItExpires() throws Exception {
        CachedTokenVerifier cache = cache(10);
        String token = jwtExpiringAt(START.plusSeconds(30));
        cache.verify(token);
        clock.advance(Duration.ofSeconds(29));
        cache.verify(token);
        assertThat(asked).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        cache.verify(token);
        assertThat(asked).as("reviewed again once its exp passed").hasSize(2);
    }

    @Test
    void alreadyExpiredToken_theReviewerAccepted_isNotRemembered() throws Exception {
        CachedTokenVerifier cache = cache(10);
        String token = jwtExpiringAt(START.minusSeconds(1));
        cache.verify(token);
        cache.verify(token);
        assertThat(asked).hasSize(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void refusal_isNeverRemembered() {
        CachedTokenVerifier cache = cache(10);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cache.verify("bad-token")).isInstanceOf(AuthException.class);
        }
        assertThat(asked).hasSize(3);
        assertThat(cache.size()).isZero();
    }

    @Test
    void manyDistinctTokens_keepTheCacheAtItsBound_droppingTheOldest() throws Exception {
        CachedTokenVerifier cache = cache(3);
        for (int i = 0; i < 1_000; i++) {
            cache.verify("token-" + i);
        }
        assertThat(cache.size()).isEqualTo(3);
        cache.verify("token-999");
        assertThat(asked).as("the newest is still remembered").hasSize(1_000);
        cache.verify("token-0");
        assertThat(asked).as("the oldest was dropped").hasSize(1_001);
    }

    @Test
    void expiryClaim_isReadOnlyFromAJwtsNumericExp() {
        assertThat(CachedTokenVerifier.expiryOf(jwtExpiringAt(START))).contains(START);
        assertThat(CachedTokenVerifier.expiryOf("opaque")).isEmpty();
        assertThat(CachedTokenVerifier.expiryOf("a.%%%.c")).isEmpty();
        assertThat(CachedTokenVerifier.expiryOf("a..c")).isEmpty();
        assertThat(CachedTokenVerifier.expiryOf("a." + base64("{\"exp\":\"soon\"}") + ".c")).isEmpty();
        assertThat(CachedTokenVerifier.expiryOf("a." + base64("[1,2]") + ".c")).isEmpty();
    }

    @Test
    void nonsensicalSettings_areRefused() {
        assertThatThrownBy(() -> new CachedTokenVerifier(reviewer, Duration.ZERO, 10, clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CachedTokenVerifier(reviewer, Duration.ofMinutes(1), 0, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String jwtExpiringAt(Instant exp) {
        return base64("{\"alg\":\"RS256\"}") + "." + base64("{\"sub\":\"system:serviceaccount:shop:web\",\"exp\":"
                + exp.getEpochSecond() + "}") + ".signature";
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
