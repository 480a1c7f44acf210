package dev.meshpilot.server.push;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Istio's debounce (R43): the first event of a batch arms a timer of the quiet period; when it fires the batch is
 * released if nothing arrived for the quiet period or the batch is older than the maximum delay, otherwise it is
 * re-armed for the time left. Released batches are processed on the timer's own single thread, one at a time;
 * events arriving meanwhile form the next batch.
 */
final class Debouncer<T> {
    /** A released batch: the merged events, when its first event arrived and how many were merged. */
    record Batch<T>(T merged, long firstEventNanos, int events) {
    }

    private final long quietNanos;
    private final long maxNanos;
    private final ScheduledExecutorService timer;
    private final BinaryOperator<T> merge;
    private final Consumer<Batch<T>> release;
    private final LongSupplier clock;

    private T pending;
    private int events;
    private long firstNanos;
    private long lastNanos;
    private boolean armed;

    Debouncer(Duration quiet, Duration max, ScheduledExecutorService singleThreadTimer, BinaryOperator<T> merge,
              Consumer<Batch<T>> release, LongSupplier clock) {
        this.quietNanos = quiet.toNanos();
        this.maxNanos = max.toNanos();
        this.timer = singleThreadTimer;
        this.merge = merge;
        this.release = release;
        this.clock = clock;
    }

    void add(T event) {
        long now = clock.getAsLong();
        synchronized (this) {
            if (pending == null) {
                pending = event;
                firstNanos = now;
                events = 1;
            } else {
                pending = merge.apply(pending, event);
                events++;
            }
            lastNanos = now;
            if (armed) {
                return;
            }
            armed = true;
        }
        timer.schedule(this::fire, quietNanos, TimeUnit.NANOSECONDS);
    }

    private void fire() {
        Batch<T> batch;
        long now = clock.getAsLong();
        synchronized (this) {
            long quietFor = now - lastNanos;
            long age = now - firstNanos;
            if (quietFor < quietNanos && age < maxNanos) {
                long wait = Math.min(quietNanos - quietFor, maxNanos - age);
                timer.schedule(this::fire, wait, TimeUnit.NANOSECONDS);
                return;
            }
            batch = new Batch<>(pending, firstNanos, events);
            pending = null;
            events = 0;
            armed = false;
        }
        release.accept(batch);
    }
}
