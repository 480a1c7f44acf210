package dev.meshpilot.server.push;

import java.time.Duration;
import java.util.Objects;

/**
 * How the push pipeline batches changes: quiet period and maximum delay of the debounce (Istio's
 * {@code PILOT_DEBOUNCE_AFTER} / {@code PILOT_DEBOUNCE_MAX}); and the bound on services per proxy scope above
 * which a proxy is reported ({@code --max-scope-services}); and how long a {@link WarmStart} may delay readiness
 * ({@code --warm-start-budget}, zero: no warm start).
 */
public record PushSettings(Duration debounceAfter, Duration debounceMax, int maxScopeServices,
                           Duration warmStartBudget) {
    /** Services per scope above which a proxy is reported: a 5,000-service scope is ~200 MB of Envoy memory. */
    public static final int DEFAULT_MAX_SCOPE_SERVICES = 5_000;
    /** Long enough for a 10k-service, 500-namespace mesh on two cores; a larger mesh finishes on demand. */
    public static final Duration DEFAULT_WARM_START_BUDGET = Duration.ofSeconds(30);
    public static final PushSettings DEFAULT = new PushSettings(Duration.ofMillis(100), Duration.ofSeconds(10));

    /** Debounce settings with {@link #DEFAULT_MAX_SCOPE_SERVICES}. */
    public PushSettings(Duration debounceAfter, Duration debounceMax) {
        this(debounceAfter, debounceMax, DEFAULT_MAX_SCOPE_SERVICES);
    }

    /** Debounce settings and scope bound with {@link #DEFAULT_WARM_START_BUDGET}. */
    public PushSettings(Duration debounceAfter, Duration debounceMax, int maxScopeServices) {
        this(debounceAfter, debounceMax, maxScopeServices, DEFAULT_WARM_START_BUDGET);
    }

    /** These settings with another warm-start budget (zero: none). */
    public PushSettings withWarmStartBudget(Duration budget) {
        return new PushSettings(debounceAfter, debounceMax, maxScopeServices, budget);
    }

    public PushSettings {
        if (maxScopeServices < 1) {
            throw new IllegalArgumentException("the bound on services per scope must be positive, got "
                    + maxScopeServices);
        }
        Objects.requireNonNull(debounceAfter, "debounceAfter");
        Objects.requireNonNull(debounceMax, "debounceMax");
        Objects.requireNonNull(warmStartBudget, "warmStartBudget");
        if (warmStartBudget.isNegative()) {
            throw new IllegalArgumentException("--warm-start-budget: the warm-start budget cannot be negative, got "
                    + warmStartBudget);
        }
        if (debounceAfter.isNegative() || debounceMax.isNegative() || debounceMax.compareTo(debounceAfter) < 0) {
            throw new IllegalArgumentException("debounce: need 0 <= quiet period (" + debounceAfter
                    + ") <= maximum delay (" + debounceMax + ")");
        }
    }
}
