package dev.meshpilot.server.learn;

import dev.meshpilot.core.scope.LearningSettings;
import dev.meshpilot.xds.generate.GeneratorOptions;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server serves learned scopes.
 *
 * @param defaultMode        the mode of namespaces without a valid {@value ScopingMode#NAMESPACE_LABEL} label
 * @param reevaluateInterval how often learned scopes are re-evaluated: the only time they narrow (expiry, and the
 *                           first narrowing from the upper bound); widening happens at once
 * @param settings           how evidence is weighed (expiry, the safety check's recent window)
 * @param telemetry          what generated sidecar config sends to meshpilot's access-log service: the control-plane
 *                           cluster of the proxies' bootstrap ({@code xds-grpc} for istio-agent) and the sample rate
 *                           of in-scope traffic; logging itself is on unless the default mode is {@code off}
 */
public record ScopingOptions(ScopingMode defaultMode, Duration reevaluateInterval, LearningSettings settings,
                             GeneratorOptions telemetry) {

    public static final Duration DEFAULT_REEVALUATE_INTERVAL = Duration.ofMinutes(5);

    public ScopingOptions {
        Objects.requireNonNull(defaultMode, "defaultMode");
        Objects.requireNonNull(reevaluateInterval, "reevaluateInterval");
        Objects.requireNonNull(settings, "settings");
        telemetry = telemetry == null ? GeneratorOptions.learning() : telemetry;
        if (reevaluateInterval.isNegative() || reevaluateInterval.isZero()) {
            throw new IllegalArgumentException("reevaluateInterval must be positive, got " + reevaluateInterval);
        }
    }

    /** Default telemetry: access logs to {@code xds-grpc}, 1% of in-scope traffic sampled. */
    public ScopingOptions(ScopingMode defaultMode, Duration reevaluateInterval, LearningSettings settings) {
        this(defaultMode, reevaluateInterval, settings, GeneratorOptions.learning());
    }

    /** Shadow mode, re-evaluated every five minutes, default learning settings and telemetry. */
    public static ScopingOptions defaults() {
        return new ScopingOptions(ScopingMode.SHADOW, DEFAULT_REEVALUATE_INTERVAL, LearningSettings.defaults());
    }

    public ScopingOptions withMode(ScopingMode mode) {
        return new ScopingOptions(mode, reevaluateInterval, settings, telemetry);
    }

    public ScopingOptions withReevaluateInterval(Duration interval) {
        return new ScopingOptions(defaultMode, interval, settings, telemetry);
    }

    public ScopingOptions withSettings(LearningSettings learningSettings) {
        return new ScopingOptions(defaultMode, reevaluateInterval, learningSettings, telemetry);
    }

    public ScopingOptions withTelemetry(GeneratorOptions generatorTelemetry) {
        return new ScopingOptions(defaultMode, reevaluateInterval, settings, generatorTelemetry);
    }

    /**
     * What the generator is built with: with the default mode {@code off} nothing changes from a server without
     * learning (no access-log config); otherwise sidecars log fallback paths and a sample of in-scope traffic.
     */
    public GeneratorOptions generatorOptions() {
        return defaultMode == ScopingMode.OFF ? GeneratorOptions.defaults() : telemetry.withAccessLog(true);
    }
}
