package dev.meshpilot.server.logging;

import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The per-stream "connected" and "closed" lines, with a budget: the first {@code perPeriod} of each kind in a period
 * are written one by one, the rest only counted, and {@link #summarize} (called once per period) writes one line with
 * the counts; given a timer, it schedules that summary itself when the first line of a period is skipped, so a quiet
 * server keeps no task. A restart of the control plane or a rollout reconnects every proxy at once; ten thousand lines
 * written from the stream threads would serialize them on the console handler's lock (a flight recording showed
 * minutes of blocked threads in a 10k-proxy reconnect) and fill the log with what one line says. Thread-safe.
 */
public final class StreamEventLog {
    private final Logger log;
    private final int perPeriod;
    private final IntSupplier streamsNow;
    private final String periodText;
    private final java.util.concurrent.ScheduledExecutorService timer;
    private final java.time.Duration period;
    private boolean summaryScheduled;
    /** This period's lines of each kind: how many were written, how many only counted. Guarded by {@code this}. */
    private final Budget connected = new Budget();
    private final Budget closed = new Budget();

    private static final class Budget {
        int written;
        long skipped;
    }

    /**
     * @param perPeriod  lines of each kind written one by one per period
     * @param streamsNow how many streams are attached now (for the summary)
     * @param periodText the period as the summary says it ("10 s")
     */
    public StreamEventLog(Logger log, int perPeriod, IntSupplier streamsNow, String periodText) {
        this(log, perPeriod, streamsNow, periodText, null, null);
    }

    /** As the other constructor, summarizing on its own: {@code period} after the first skipped line of a period. */
    public StreamEventLog(Logger log, int perPeriod, IntSupplier streamsNow, java.time.Duration period,
                          java.util.concurrent.ScheduledExecutorService timer) {
        this(log, perPeriod, streamsNow, period.toSeconds() + " s", period, timer);
    }

    private StreamEventLog(Logger log, int perPeriod, IntSupplier streamsNow, String periodText,
                           java.time.Duration period, java.util.concurrent.ScheduledExecutorService timer) {
        this.log = log;
        this.perPeriod = perPeriod;
        this.streamsNow = streamsNow;
        this.periodText = periodText;
        this.period = period;
        this.timer = timer;
    }

    public void connected(Supplier<String> line) {
        write(connected, line);
    }

    public void closed(Supplier<String> line) {
        write(closed, line);
    }

    private void write(Budget budget, Supplier<String> line) {
        boolean write;
        synchronized (this) {
            write = budget.written < perPeriod;
            if (write) {
                budget.written++;
            } else {
                budget.skipped++;
                scheduleSummary();
            }
        }
        if (write) {
            log.info(line);
        }
    }

    /** Called holding the lock: the first skipped line of a period schedules its summary. */
    private void scheduleSummary() {
        if (timer == null || summaryScheduled) {
            return;
        }
        summaryScheduled = true;
        try {
            timer.schedule(this::summarize, period.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            summaryScheduled = false; // shutting down: the counts stay until summarize is called
        }
    }

    /** Ends the period: one line with what was only counted, if anything was; the budget starts again. */
    public void summarize() {
        long connectedSkipped;
        long closedSkipped;
        synchronized (this) {
            connectedSkipped = connected.skipped;
            closedSkipped = closed.skipped;
            connected.written = 0;
            connected.skipped = 0;
            closed.written = 0;
            closed.skipped = 0;
            summaryScheduled = false;
        }
        if (connectedSkipped + closedSkipped > 0) {
            log.info(String.format(Locale.ROOT, "xds: %,d more streams connected and %,d more closed in the last %s"
                    + " (not logged one by one); %,d streams attached now", connectedSkipped, closedSkipped,
                    periodText, streamsNow.getAsInt()));
        }
    }
}
