package dev.meshpilot.server.ads;

import dev.meshpilot.server.limits.ResourceLimits;

import java.time.Duration;

/**
 * What one ADS stream enforces itself (the transport enforces the rest, see
 * {@link dev.meshpilot.server.limits.XdsTransportGuard}).
 *
 * @param maxNodeBytes       largest serialized node a stream may present; a larger one is refused
 * @param maxNamesPerRequest resource names one request may carry; a request with more closes the stream
 * @param slowReaderTimeout  a stream whose client has not read this long while a push waits is closed
 */
public record StreamLimits(int maxNodeBytes, int maxNamesPerRequest, Duration slowReaderTimeout) {
    public static StreamLimits of(ResourceLimits limits) {
        return new StreamLimits(limits.maxNodeBytes(), limits.maxNamesPerRequest(), limits.slowReaderTimeout());
    }
}
