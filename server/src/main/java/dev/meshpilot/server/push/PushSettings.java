package dev.meshpilot.server.push;

import java.time.Duration;
import java.util.Objects;

/**
 * How the push pipeline batches changes: quiet period and maximum delay of the debounce (Istio's
 * {@code PILOT_DEBOUNCE_AFTER} / {@code PILOT_DEBOUNCE_MAX}); and the bound on services per proxy scope above
 * which a proxy is reported ({@code --max-scope-services}).
 */
public record PushSettings(Duration debounceAfter, Duration debounceMax, int maxScopeServices) {
    /** Services per scope above which a proxy is reported: a 5,000-service scope is ~200 MB of Envoy memory. */
    public static final int DEFAULT_MAX_SCOPE_SERVICES = 5_000;
    public static final PushSettings DEFAULT = new PushSettings(Duration.ofMillis(100), Duration.ofSeconds(10));

    /** Debounce settings with {@link #DEFAULT_MAX_SCOPE_SERVICES}. */
    public PushSettings(Duration debounceAfter, Duration debounceMax) {
        this(debounceAfter, debounceMax, DEFAULT_MAX_SCOPE_SERVICES);
    }

    public PushSettings {
        if (maxScopeServices < 1) {
            throw new IllegalArgumentException("the bound on services per scope must be positive, got "
                    + maxScopeServices);
        }
        Objects.requireNonNull(debounceAfter, "debounceAfter");
        Objects.requireNonNull(debounceMax, "debounceMax");
        if (debounceAfter.isNegative() || debounceMax.isNegative() || debounceMax.compareTo(debounceAfter) < 0) {
            throw new IllegalArgumentException("debounce: need 0 <= quiet period (" + debounceAfter
                    + ") <= maximum delay (" + debounceMax + ")");
        }
    }
}
