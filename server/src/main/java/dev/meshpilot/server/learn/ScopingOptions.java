package dev.meshpilot.server.learn;

import dev.meshpilot.core.scope.LearningSettings;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server serves learned scopes.
 *
 * @param defaultMode        the mode of namespaces without a valid {@value ScopingMode#NAMESPACE_LABEL} label
 * @param reevaluateInterval how often learned scopes are re-evaluated: the only time they narrow (expiry, and the
 *                           first narrowing from the upper bound); widening happens at once
 * @param settings           how evidence is weighed (expiry, the safety check's recent window)
 */
public record ScopingOptions(ScopingMode defaultMode, Duration reevaluateInterval, LearningSettings settings) {

    public static final Duration DEFAULT_REEVALUATE_INTERVAL = Duration.ofMinutes(5);

    public ScopingOptions {
        Objects.requireNonNull(defaultMode, "defaultMode");
        Objects.requireNonNull(reevaluateInterval, "reevaluateInterval");
        Objects.requireNonNull(settings, "settings");
        if (reevaluateInterval.isNegative() || reevaluateInterval.isZero()) {
            throw new IllegalArgumentException("reevaluateInterval must be positive, got " + reevaluateInterval);
        }
    }

    /** Shadow mode, re-evaluated every five minutes, default learning settings. */
    public static ScopingOptions defaults() {
        return new ScopingOptions(ScopingMode.SHADOW, DEFAULT_REEVALUATE_INTERVAL, LearningSettings.defaults());
    }

    public ScopingOptions withMode(ScopingMode mode) {
        return new ScopingOptions(mode, reevaluateInterval, settings);
    }

    public ScopingOptions withReevaluateInterval(Duration interval) {
        return new ScopingOptions(defaultMode, interval, settings);
    }

    public ScopingOptions withSettings(LearningSettings learningSettings) {
        return new ScopingOptions(defaultMode, reevaluateInterval, learningSettings);
    }
}
