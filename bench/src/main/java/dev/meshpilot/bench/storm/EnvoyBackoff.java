package dev.meshpilot.bench.storm;

import java.util.random.RandomGenerator;

/**
 * Envoy's retry timing for a broken xDS stream: full-jitter exponential backoff, a random delay below
 * {@code min(base * 2^attempt, max)}, with Envoy's defaults for its gRPC config stream (base 500 ms, max 30 s).
 * Immutable; the random source is passed in so runs are repeatable.
 */
public record EnvoyBackoff(long baseMillis, long maxMillis) {

    /** Envoy's defaults for the ADS stream: 500 ms base, 30 s cap. */
    public static final EnvoyBackoff ENVOY_DEFAULT = new EnvoyBackoff(500, 30_000);

    public EnvoyBackoff {
        if (baseMillis <= 0 || maxMillis < baseMillis) {
            throw new IllegalArgumentException("backoff needs 0 < base <= max, got " + baseMillis + "/" + maxMillis);
        }
    }

    /** The delay before retry number {@code attempt} (0 for the first retry after the stream broke), in ms. */
    public long delayMillis(int attempt, RandomGenerator random) {
        long ceiling = ceilingMillis(attempt);
        return random.nextLong(ceiling);
    }

    /** The upper bound of the delay before retry number {@code attempt}. */
    public long ceilingMillis(int attempt) {
        int shift = Math.min(Math.max(attempt, 0), 30);
        return Math.min(maxMillis, baseMillis << shift);
    }
}
