package dev.meshpilot.server.ads;

import dev.meshpilot.server.auth.AuthRefusals;
import dev.meshpilot.server.limits.Rejections;
import dev.meshpilot.server.logging.RateLimitedLog;
import dev.meshpilot.server.logging.StreamEventLog;
import dev.meshpilot.server.metrics.ServerMetrics;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every stream shares: where config comes from, the live-connection registry, metrics, the worker pool, the
 * per-stream limits with their rejection counters, the timer that checks for slow readers, the rate-limited log
 * for warnings a client can provoke, the budgeted log of streams connecting and closing, the answerer of Istio's debug types, and where authorization refusals are
 * recorded.
 */
record StreamContext(ProxyConfigSource source, ConnectionRegistry registry, ServerMetrics metrics, Executor pool,
                     StreamLimits limits, Rejections rejections, ScheduledExecutorService timer, RateLimitedLog log,
                     StreamEventLog streamLog, DebugXdsHandler debug, AuthRefusals refusals) {
    StreamContext {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(debug, "debug");
        Objects.requireNonNull(refusals, "refusals");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(rejections, "rejections");
        Objects.requireNonNull(timer, "timer");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(streamLog, "streamLog");
    }
}
