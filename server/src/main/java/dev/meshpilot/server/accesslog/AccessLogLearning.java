package dev.meshpilot.server.accesslog;

import dev.meshpilot.server.logging.RateLimitedLog;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.server.learn.LearningOptions;
import dev.meshpilot.server.learn.LedgerKeeper;
import dev.meshpilot.server.metrics.LearningMetrics;
import io.grpc.BindableService;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Learning from Envoy access logs: the gRPC service to register on the xDS port ({@link #service()}), the bounded
 * buffer its streams fill, and the periodic flush of that buffer into the {@link LedgerKeeper}.
 *
 * <p>Cost per proxy: one long-lived stream; per entry a map lookup (cluster name parse, or for passthrough an
 * address-book lookup) and one synchronized buffer update. Memory does not grow with traffic: at most
 * {@code bufferCapacity} distinct edges are held between flushes, at most {@code maxEntriesPerMessage} entries are
 * read from one message, messages are bounded by the server's inbound message size (gRPC's 4 MiB default,
 * server-wide: grpc-java has no per-service limit), and gRPC reads the next message only after the previous one was
 * processed, so a flooding proxy is slowed by its own stream's flow control.
 */
public final class AccessLogLearning implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AccessLogLearning.class.getName());
    private static final Duration LOG_PERIOD = Duration.ofMinutes(1);

    private final AccessLogService service;
    private final EdgeBuffer buffer;
    private final AccessLogFlusher flusher;
    private final Set<AccessLogStream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;
    private final Duration flushInterval;
    private ScheduledFuture<?> flushing;
    private boolean closed;

    /**
     * @param registry  the current registry snapshot (callers and original destinations are resolved against it)
     * @param scheduler runs the flushes; not owned
     */
    public AccessLogLearning(Supplier<MeshSnapshot> registry, LedgerKeeper keeper, LearningOptions options,
                             LearningMetrics metrics, ScheduledExecutorService scheduler, Clock clock) {
        this.buffer = new EdgeBuffer(options.bufferCapacity());
        this.flusher = new AccessLogFlusher(buffer, keeper, options.accessLogReporter());
        this.scheduler = scheduler;
        this.flushInterval = options.flushInterval();
        this.service = new AccessLogService(new AccessLogService.Context(registry,
                new EntryClassifier(new AddressBooks()), new EntryTimes(clock), buffer, metrics,
                new RateLimitedLog(LOG, clock, LOG_PERIOD), streams, options.maxEntriesPerMessage()));
    }

    /** The service to add to the xDS gRPC server. */
    public BindableService service() {
        return service;
    }

    /** Starts flushing every flush interval. */
    public synchronized void start() {
        if (closed || flushing != null) {
            return;
        }
        flushing = scheduler.scheduleWithFixedDelay(this::flushQuietly, flushInterval.toNanos(),
                flushInterval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Hands what is buffered to the ledger keeper now. */
    public void flush() {
        flusher.flush();
    }

    /** Distinct edges buffered since the last flush. */
    public int buffered() {
        return buffer.size();
    }

    /** Open access-log streams. */
    public int openStreams() {
        return streams.size();
    }

    /** Ends every open stream with UNAVAILABLE (shutdown: proxies reconnect elsewhere or later). */
    public void endStreams(String reason) {
        for (AccessLogStream s : List.copyOf(streams)) {
            s.end(reason);
            streams.remove(s);
        }
    }

    /** Stops the periodic flush and flushes once more. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (flushing != null) {
                flushing.cancel(false);
            }
        }
        flushQuietly();
    }

    private void flushQuietly() {
        try {
            flusher.flush();
        } catch (RuntimeException e) {
            LOG.warning(() -> "access log: flushing to the ledger failed: " + e);
        }
    }
}
