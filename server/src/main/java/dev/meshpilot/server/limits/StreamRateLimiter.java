package dev.meshpilot.server.limits;

import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * New-stream admission as a token bucket (the generic cell rate algorithm): {@code rate} streams per second, a
 * burst of one second's worth, first come first served. {@link #reserve()} says how long the caller must wait for
 * its turn; a caller that would wait longer than the maximum is refused and takes no turn. The clock is injected so
 * the behaviour is testable without sleeping. Thread-safe.
 */
public final class StreamRateLimiter {
    private final long intervalNanos;
    private final long toleranceNanos;
    private final long maxWaitNanos;
    private final LongSupplier nanoClock;
    private long theoreticalArrival;
    private boolean started;

    /**
     * @param perSecond  admissions per second
     * @param maxWaitNanos longest wait granted
     * @param nanoClock  monotonic nanoseconds ({@code System::nanoTime} in production)
     */
    public StreamRateLimiter(double perSecond, long maxWaitNanos, LongSupplier nanoClock) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.intervalNanos = Math.max(1, (long) (1e9 / perSecond));
        long burst = Math.max(1, (long) Math.ceil(perSecond));
        this.toleranceNanos = (burst - 1) * intervalNanos;
        this.maxWaitNanos = maxWaitNanos;
        this.nanoClock = nanoClock;
    }

    /** Nanoseconds to wait before the stream may start, or empty when it would wait longer than allowed. */
    public synchronized OptionalLong reserve() {
        long now = nanoClock.getAsLong();
        if (!started || theoreticalArrival - now < 0) {
            theoreticalArrival = now;
            started = true;
        }
        long wait = Math.max(0, theoreticalArrival - toleranceNanos - now);
        if (wait > maxWaitNanos) {
            return OptionalLong.empty();
        }
        theoreticalArrival += intervalNanos;
        return OptionalLong.of(wait);
    }
}
