package dev.meshpilot.server.logging;

import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The per-stream "connected" and "closed" lines, with a budget: the first {@code perPeriod} of each kind in a period
 * are written one by one, the rest only counted, and {@link #summarize} (called once per period) writes one line with
 * the counts. A restart of the control plane or a rollout reconnects every proxy at once; ten thousand lines
 * written from the stream threads would serialize them on the console handler's lock (a flight recording showed
 * minutes of blocked threads in a 10k-proxy reconnect) and fill the log with what one line says. Thread-safe.
 */
public final class StreamEventLog {
    private final Logger log;
    private final int perPeriod;
    private final IntSupplier streamsNow;
    private final String periodText;
    private int connectedLogged;
    private int closedLogged;
    private long connectedSkipped;
    private long closedSkipped;

    /**
     * @param perPeriod  lines of each kind written one by one per period
     * @param streamsNow how many streams are attached now (for the summary)
     * @param periodText the period as the summary says it ("10 s")
     */
    public StreamEventLog(Logger log, int perPeriod, IntSupplier streamsNow, String periodText) {
        this.log = log;
        this.perPeriod = perPeriod;
        this.streamsNow = streamsNow;
        this.periodText = periodText;
    }

    public void connected(Supplier<String> line) {
        boolean write;
        synchronized (this) {
            write = connectedLogged < perPeriod;
            if (write) {
                connectedLogged++;
            } else {
                connectedSkipped++;
            }
        }
        if (write) {
            log.info(line);
        }
    }

    public void closed(Supplier<String> line) {
        boolean write;
        synchronized (this) {
            write = closedLogged < perPeriod;
            if (write) {
                closedLogged++;
            } else {
                closedSkipped++;
            }
        }
        if (write) {
            log.info(line);
        }
    }

    /** Ends the period: one line with what was only counted, if anything was; the budget starts again. */
    public void summarize() {
        long connected;
        long closed;
        synchronized (this) {
            connected = connectedSkipped;
            closed = closedSkipped;
            connectedSkipped = 0;
            closedSkipped = 0;
            connectedLogged = 0;
            closedLogged = 0;
        }
        if (connected + closed > 0) {
            log.info(String.format(Locale.ROOT, "xds: %,d more streams connected and %,d more closed in the last %s"
                    + " (not logged one by one); %,d streams attached now", connected, closed, periodText,
                    streamsNow.getAsInt()));
        }
    }
}
