package dev.meshpilot.core.scope;

import dev.meshpilot.core.ledger.CallEvidence;

import java.time.Duration;
import java.util.Objects;

/**
 * How learning weighs evidence.
 *
 * @param forgetAfter  how long a destination nobody called stays in scope at least (default 30 days); a periodic
 *                     caller's destination stays twice its longest gap between sightings if that is longer
 * @param recentWindow calls seen this recently must stay inside any narrowed scope (default 7 days)
 */
public record LearningSettings(Duration forgetAfter, Duration recentWindow) {

    public static final Duration DEFAULT_FORGET_AFTER = Duration.ofDays(30);
    public static final Duration DEFAULT_RECENT_WINDOW = Duration.ofDays(7);

    public LearningSettings {
        Objects.requireNonNull(forgetAfter, "forgetAfter");
        Objects.requireNonNull(recentWindow, "recentWindow");
        if (forgetAfter.isNegative() || forgetAfter.isZero()) {
            throw new IllegalArgumentException("forgetAfter must be positive, got " + forgetAfter);
        }
        if (recentWindow.isNegative() || recentWindow.isZero()) {
            throw new IllegalArgumentException("recentWindow must be positive, got " + recentWindow);
        }
    }

    public static LearningSettings defaults() {
        return new LearningSettings(DEFAULT_FORGET_AFTER, DEFAULT_RECENT_WINDOW);
    }

    /**
     * How long this destination is kept after it was last seen: {@link #forgetAfter}, or twice the longest gap
     * between two days it was seen on when that is longer (a monthly job keeps its destination 60 days).
     */
    public Duration forgetPeriod(CallEvidence evidence) {
        Duration twiceGap = Duration.ofDays(2 * evidence.longestGapDays());
        return twiceGap.compareTo(forgetAfter) > 0 ? twiceGap : forgetAfter;
    }
}
