package dev.meshpilot.server.push;

import java.time.Duration;
import java.util.Objects;

/**
 * How the push pipeline batches changes: quiet period and maximum delay of the debounce (Istio's
 * {@code PILOT_DEBOUNCE_AFTER} / {@code PILOT_DEBOUNCE_MAX}).
 */
public record PushSettings(Duration debounceAfter, Duration debounceMax) {
    public static final PushSettings DEFAULT = new PushSettings(Duration.ofMillis(100), Duration.ofSeconds(10));

    public PushSettings {
        Objects.requireNonNull(debounceAfter, "debounceAfter");
        Objects.requireNonNull(debounceMax, "debounceMax");
        if (debounceAfter.isNegative() || debounceMax.isNegative() || debounceMax.compareTo(debounceAfter) < 0) {
            throw new IllegalArgumentException("debounce: need 0 <= quiet period (" + debounceAfter
                    + ") <= maximum delay (" + debounceMax + ")");
        }
    }
}
