package dev.meshpilot.bench.client;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The one time source of a run (monotonic nanoseconds), so file writes and ACKs are compared on one axis; it also
 * remembers when any client last received a response, which tells the harness when a change has settled.
 */
public final class RunClock {

    private final AtomicLong lastResponse = new AtomicLong(System.nanoTime());

    public long now() {
        return System.nanoTime();
    }

    void responseArrived(long nanos) {
        lastResponse.accumulateAndGet(nanos, Math::max);
    }

    public long lastResponseNanos() {
        return lastResponse.get();
    }
}
