package dev.meshpilot.server.limits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the debug/metrics HTTP port protects itself. Requests from loopback are always served; when the port is bound
 * to another address, every path but {@code /ready} needs {@code Authorization: Bearer TOKEN} with the token read from
 * {@code tokenFile} (the server refuses to start exposed without one).
 *
 * @param tokenFile      file holding the bearer token (surrounding whitespace ignored)
 * @param maxConnections open HTTP connections; more are closed at accept
 * @param workers        threads computing debug responses ({@code /ready} and {@code /metrics} have their own)
 * @param queue          debug requests waiting for a worker; more are answered 503 at once
 * @param readTimeout    time a client has to send a whole request (a half-sent request is dropped after it)
 * @param requestTimeout time a response may take to compute; then 503
 */
public record DebugLimits(Optional<Path> tokenFile, int maxConnections, int workers, int queue, Duration readTimeout,
                          Duration requestTimeout) {
    public DebugLimits {
        Objects.requireNonNull(tokenFile, "tokenFile");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (maxConnections < 1 || workers < 1 || queue < 0) {
            throw new IllegalArgumentException("debug limits: maxConnections and workers must be at least 1, queue at"
                    + " least 0");
        }
        if (readTimeout.isNegative() || readTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("debug limits: timeouts must be positive");
        }
    }

    public static DebugLimits defaults() {
        return new DebugLimits(Optional.empty(), 64, 2, 16, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    public DebugLimits withTokenFile(Path file) {
        return new DebugLimits(Optional.of(file), maxConnections, workers, queue, readTimeout, requestTimeout);
    }

    public DebugLimits withTimeouts(Duration read, Duration request) {
        return new DebugLimits(tokenFile, maxConnections, workers, queue, read, request);
    }
}
