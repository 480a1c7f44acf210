package dev.meshpilot.insight.live;

import dev.meshpilot.insight.footprint.ProxyFootprint;

import java.util.Objects;
import java.util.Optional;

/**
 * One connected proxy as learned scoping sees it: what its upper bound (Istio's scope) holds and, when learning
 * narrowed it, what its learned scope holds, and whether that is what it is served.
 *
 * @param learned       the learned scope's footprint; empty when learning has not narrowed the proxy
 * @param learnedServed true in {@code learned} mode (the learned scope is served); false in {@code shadow} mode
 */
public record LearningFootprint(ProxyFootprint upperBound, Optional<ProxyFootprint> learned, boolean learnedServed) {
    public LearningFootprint {
        Objects.requireNonNull(upperBound, "upperBound");
        Objects.requireNonNull(learned, "learned");
        if (learned.isEmpty() && learnedServed) {
            throw new IllegalArgumentException("a proxy learning did not narrow is served its upper bound");
        }
    }

    /** A proxy served its upper bound with nothing learned for it. */
    public static LearningFootprint notNarrowed(ProxyFootprint served) {
        return new LearningFootprint(served, Optional.empty(), false);
    }

    /** What learning serves it or would: its learned scope, else its upper bound. */
    public ProxyFootprint underLearning() {
        return learned.orElse(upperBound);
    }
}
