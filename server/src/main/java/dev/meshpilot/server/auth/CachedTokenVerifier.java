package dev.meshpilot.server.auth;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Remembers which tokens a slower verifier (a Kubernetes {@code TokenReview}) accepted, for a short while, as the
 * kube-apiserver's own webhook token authenticator does ({@code --authentication-token-webhook-cache-ttl}, 2 minutes
 * by default). A proxy that reconnects in a loop (a flapping network, a crash-looping pod, a restarting control
 * plane) then costs the API server one review per token and period, not one per stream.
 *
 * <p>Only acceptances are remembered: a refusal, or a review that failed, is asked again next time. An entry lives
 * for the period or until the token's own {@code exp} claim, whichever is first, so a remembered token never
 * outlives itself. Entries are keyed by the token's SHA-256, never the token, and bounded in number (the oldest
 * go first), so no client can make the cache grow without bound. Thread-safe.
 */
public final class CachedTokenVerifier implements TokenVerifier {
    /** kube-apiserver's default for its webhook token authenticator cache. */
    public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(2);
    /** Enough for every proxy of a large mesh to reconnect within one period. */
    public static final int DEFAULT_MAX_ENTRIES = 20_000;

    private record Accepted(CallerIdentity caller, Instant until) {
    }

    private final TokenVerifier reviewer;
    private final Duration period;
    private final int maxEntries;
    private final Clock clock;
    /** Insertion order, so the eldest entry is the first to go beyond {@code maxEntries}. Guarded by itself. */
    private final LinkedHashMap<String, Accepted> accepted;

    public CachedTokenVerifier(TokenVerifier reviewer, Duration period, int maxEntries, Clock clock) {
        this.reviewer = Objects.requireNonNull(reviewer, "reviewer");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("the cache period must be positive, got " + period);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the cache needs room for at least one token, got " + maxEntries);
        }
        this.period = period;
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.accepted = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Accepted> eldest) {
                return size() > CachedTokenVerifier.this.maxEntries;
            }
        };
    }

    @Override
    public CallerIdentity verify(String token) throws AuthException {
        String key = sha256(token);
        Instant now = clock.instant();
        synchronized (accepted) {
            Accepted known = accepted.get(key);
            if (known != null) {
                if (now.isBefore(known.until())) {
                    return known.caller();
                }
                accepted.remove(key);
            }
        }
        CallerIdentity caller = reviewer.verify(token);
        Instant until = now.plus(period);
        Optional<Instant> expiry = expiryOf(token);
        if (expiry.isPresent() && expiry.get().isBefore(until)) {
            until = expiry.get();
        }
        if (now.isBefore(until)) {
            remember(key, new Accepted(caller, until), now);
        }
        return caller;
    }

    /** Tokens remembered now (expired ones may still count until the next insertion sweeps them). */
    public int size() {
        synchronized (accepted) {
            return accepted.size();
        }
    }

    private void remember(String key, Accepted entry, Instant now) {
        synchronized (accepted) {
            accepted.remove(key);
            if (accepted.size() >= maxEntries) {
                accepted.values().removeIf(a -> !now.isBefore(a.until()));
            }
            accepted.put(key, entry); // drops the eldest when still full
        }
    }

    /**
     * The {@code exp} claim of a JWT, read without checking its signature: it may only shorten how long an accepted
     * token is remembered, never lengthen it. Empty for anything that is not a JWT with a numeric {@code exp}.
     */
    static Optional<Instant> expiryOf(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[1].length() > 16_384) {
            return Optional.empty();
        }
        try {
            JsonNode exp = JwksTokenVerifier.decode(parts[1], "payload").get("exp");
            return exp != null && exp.isNumber() ? Optional.of(Instant.ofEpochSecond(exp.asLong())) : Optional.empty();
        } catch (AuthException e) {
            return Optional.empty();
        }
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
