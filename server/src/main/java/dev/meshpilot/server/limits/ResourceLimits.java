package dev.meshpilot.server.limits;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything a client can make the server hold, bounded: connections and streams on the xDS port, the rate of new
 * streams, message, node and subscription sizes, connection lifetimes, how long a push may wait for a client that
 * stopped reading; and how the debug port is protected ({@link DebugLimits}). {@link #defaults()} are istiod's
 * where istiod has one (keepalive 30 s, max connection age 30 min, new-stream rate min(15 + 5 × cores, 100)/s).
 *
 * @param maxConnections          open TCP connections on the xDS port; a connection beyond it is closed at accept
 * @param maxStreamsPerConnection concurrent gRPC streams (ADS, access log) on one connection; the next one fails with
 *                                {@code RESOURCE_EXHAUSTED}
 * @param newStreamsPerSecond     new ADS streams admitted per second (token bucket, burst of one second's worth)
 * @param maxAdmissionWait        how long a new ADS stream may wait for its turn (first come, first served); a stream
 *                                that would wait longer fails with {@code RESOURCE_EXHAUSTED}
 * @param maxMessageBytes         largest message a client may send on the xDS port (gRPC's own limit)
 * @param maxNodeBytes            largest serialized {@code Node} (id, metadata, ...) an ADS stream may present
 * @param maxNamesPerRequest      resource names one request may carry (SotW names; delta subscribe + unsubscribe +
 *                                initial versions)
 * @param handshakeTimeout        time a new connection has to finish its handshake
 * @param keepAliveTime           the server pings a connection silent this long...
 * @param keepAliveTimeout        ... and closes it when the ping is not answered within this
 * @param maxConnectionAge        connections are asked to go away after this (GOAWAY; gRPC adds ±10 % jitter so
 *                                clients reconnect spread out)...
 * @param maxConnectionAgeGrace   ... and closed after this further grace for streams still open
 * @param permitKeepAliveTime     the shortest client ping interval tolerated (shorter ones get GOAWAY)
 * @param maxConnectionIdle       a connection with no stream is closed after this
 * @param slowReaderTimeout       a stream whose client has not read (transport not ready) this long while a push
 *                                waits for it is closed with {@code DEADLINE_EXCEEDED}
 * @param debug                   the debug port's access and bounds
 */
public record ResourceLimits(int maxConnections, int maxStreamsPerConnection, double newStreamsPerSecond,
                             Duration maxAdmissionWait, int maxMessageBytes, int maxNodeBytes, int maxNamesPerRequest,
                             Duration handshakeTimeout, Duration keepAliveTime, Duration keepAliveTimeout,
                             Duration maxConnectionAge, Duration maxConnectionAgeGrace, Duration permitKeepAliveTime,
                             Duration maxConnectionIdle, Duration slowReaderTimeout, DebugLimits debug) {
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_STREAMS_PER_CONNECTION = 100;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 << 20;
    public static final int DEFAULT_MAX_NODE_BYTES = 64 << 10;
    public static final int DEFAULT_MAX_NAMES_PER_REQUEST = 50_000;

    public ResourceLimits {
        positive("maxConnections", maxConnections);
        positive("maxStreamsPerConnection", maxStreamsPerConnection);
        if (!(newStreamsPerSecond > 0)) {
            throw new IllegalArgumentException("newStreamsPerSecond must be positive, got " + newStreamsPerSecond);
        }
        positive("maxMessageBytes", maxMessageBytes);
        positive("maxNodeBytes", maxNodeBytes);
        positive("maxNamesPerRequest", maxNamesPerRequest);
        for (Duration d : new Duration[] {maxAdmissionWait, handshakeTimeout, keepAliveTime, keepAliveTimeout,
                maxConnectionAge, maxConnectionAgeGrace, permitKeepAliveTime, maxConnectionIdle, slowReaderTimeout}) {
            Objects.requireNonNull(d, "durations");
            if (d.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative, got " + d);
            }
        }
        Objects.requireNonNull(debug, "debug");
    }

    /** istiod's defaults where it has one; see the class comment and docs/security.md. */
    public static ResourceLimits defaults() {
        return new ResourceLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_STREAMS_PER_CONNECTION,
                defaultNewStreamsPerSecond(), Duration.ofSeconds(1), DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_NODE_BYTES,
                DEFAULT_MAX_NAMES_PER_REQUEST, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofMinutes(30), Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofMinutes(1),
                Duration.ofSeconds(30), DebugLimits.defaults());
    }

    /** istiod's new-stream rate: min(15 + 5 × cores, 100) per second. */
    public static double defaultNewStreamsPerSecond() {
        return Math.min(15 + 5 * Runtime.getRuntime().availableProcessors(), 100);
    }

    public ResourceLimits withMaxConnections(int n) {
        return new ResourceLimits(n, maxStreamsPerConnection, newStreamsPerSecond, maxAdmissionWait, maxMessageBytes,
                maxNodeBytes, maxNamesPerRequest, handshakeTimeout, keepAliveTime, keepAliveTimeout, maxConnectionAge,
                maxConnectionAgeGrace, permitKeepAliveTime, maxConnectionIdle, slowReaderTimeout, debug);
    }

    public ResourceLimits withMaxStreamsPerConnection(int n) {
        return new ResourceLimits(maxConnections, n, newStreamsPerSecond, maxAdmissionWait, maxMessageBytes,
                maxNodeBytes, maxNamesPerRequest, handshakeTimeout, keepAliveTime, keepAliveTimeout, maxConnectionAge,
                maxConnectionAgeGrace, permitKeepAliveTime, maxConnectionIdle, slowReaderTimeout, debug);
    }

    public ResourceLimits withNewStreamRate(double perSecond, Duration maxWait) {
        return new ResourceLimits(maxConnections, maxStreamsPerConnection, perSecond, maxWait, maxMessageBytes,
                maxNodeBytes, maxNamesPerRequest, handshakeTimeout, keepAliveTime, keepAliveTimeout, maxConnectionAge,
                maxConnectionAgeGrace, permitKeepAliveTime, maxConnectionIdle, slowReaderTimeout, debug);
    }

    public ResourceLimits withRequestSizes(int messageBytes, int nodeBytes, int namesPerRequest) {
        return new ResourceLimits(maxConnections, maxStreamsPerConnection, newStreamsPerSecond, maxAdmissionWait,
                messageBytes, nodeBytes, namesPerRequest, handshakeTimeout, keepAliveTime, keepAliveTimeout,
                maxConnectionAge, maxConnectionAgeGrace, permitKeepAliveTime, maxConnectionIdle, slowReaderTimeout,
                debug);
    }

    public ResourceLimits withConnectionTimes(Duration handshake, Duration idle, Duration maxAge, Duration grace) {
        return new ResourceLimits(maxConnections, maxStreamsPerConnection, newStreamsPerSecond, maxAdmissionWait,
                maxMessageBytes, maxNodeBytes, maxNamesPerRequest, handshake, keepAliveTime, keepAliveTimeout, maxAge,
                grace, permitKeepAliveTime, idle, slowReaderTimeout, debug);
    }

    public ResourceLimits withSlowReaderTimeout(Duration timeout) {
        return new ResourceLimits(maxConnections, maxStreamsPerConnection, newStreamsPerSecond, maxAdmissionWait,
                maxMessageBytes, maxNodeBytes, maxNamesPerRequest, handshakeTimeout, keepAliveTime, keepAliveTimeout,
                maxConnectionAge, maxConnectionAgeGrace, permitKeepAliveTime, maxConnectionIdle, timeout, debug);
    }

    public ResourceLimits withDebug(DebugLimits debugLimits) {
        return new ResourceLimits(maxConnections, maxStreamsPerConnection, newStreamsPerSecond, maxAdmissionWait,
                maxMessageBytes, maxNodeBytes, maxNamesPerRequest, handshakeTimeout, keepAliveTime, keepAliveTimeout,
                maxConnectionAge, maxConnectionAgeGrace, permitKeepAliveTime, maxConnectionIdle, slowReaderTimeout,
                debugLimits);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
