package dev.meshpilot.server.ads;

import dev.meshpilot.server.auth.AuthRefusals;
import dev.meshpilot.server.metrics.ServerMetrics;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What every stream shares: where config comes from, the live-connection registry, metrics, the worker pool and
 * the answerer of Istio's debug types, where authorization refusals are recorded.
 */
record StreamContext(ProxyConfigSource source, ConnectionRegistry registry, ServerMetrics metrics, Executor pool,
                     DebugXdsHandler debug, AuthRefusals refusals) {
    StreamContext {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(debug, "debug");
        Objects.requireNonNull(refusals, "refusals");
    }
}
