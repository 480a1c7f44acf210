package dev.meshpilot.cli.serve;

import dev.meshpilot.server.limits.DebugLimits;
import dev.meshpilot.server.limits.ResourceLimits;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code serve}'s bounds on what clients can make the server hold, and the debug port's token. */
final class LimitsFlags {
    @Option(names = "--max-connections", paramLabel = "N",
            defaultValue = "" + ResourceLimits.DEFAULT_MAX_CONNECTIONS,
            description = "Open connections on the xDS port; more are closed at accept (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-streams-per-connection", paramLabel = "N",
            defaultValue = "" + ResourceLimits.DEFAULT_MAX_STREAMS_PER_CONNECTION,
            description = "Concurrent gRPC streams on one connection (default: ${DEFAULT-VALUE}).")
    int maxStreamsPerConnection;

    @Option(names = "--new-stream-rate", paramLabel = "PER_SECOND",
            description = "New ADS streams admitted per second; a stream waiting more than 1 s for its turn fails"
                    + " with RESOURCE_EXHAUSTED (default: istiod's min(15 + 5 x cores, 100)).")
    Double newStreamRate;

    @Option(names = "--max-node-bytes", paramLabel = "BYTES", defaultValue = "" + ResourceLimits.DEFAULT_MAX_NODE_BYTES,
            description = "Largest xDS node (id and metadata) a stream may present (default: ${DEFAULT-VALUE}).")
    int maxNodeBytes;

    @Option(names = "--max-names-per-request", paramLabel = "N",
            defaultValue = "" + ResourceLimits.DEFAULT_MAX_NAMES_PER_REQUEST,
            description = "Resource names one xDS request may carry (default: ${DEFAULT-VALUE}).")
    int maxNamesPerRequest;

    @Option(names = "--slow-reader-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "Disconnect a proxy that has not read pushed config for this long (default: ${DEFAULT-VALUE}).")
    String slowReaderTimeout;

    @Option(names = "--debug-token-file", paramLabel = "FILE",
            description = "Bearer token required on the debug port from clients not on loopback (all paths but"
                    + " /ready); needed when --debug-address is not loopback.")
    Path debugTokenFile;

    /** @throws IllegalArgumentException for a value out of range, naming the flag */
    ResourceLimits limits() {
        ResourceLimits defaults = ResourceLimits.defaults();
        DebugLimits debug = debugTokenFile == null ? defaults.debug() : defaults.debug().withTokenFile(debugTokenFile);
        try {
            return defaults.withMaxConnections(maxConnections)
                    .withMaxStreamsPerConnection(maxStreamsPerConnection)
                    .withNewStreamRate(newStreamRate == null ? defaults.newStreamsPerSecond() : newStreamRate,
                            defaults.maxAdmissionWait())
                    .withRequestSizes(defaults.maxMessageBytes(), maxNodeBytes, maxNamesPerRequest)
                    .withSlowReaderTimeout(ServeCommand.Durations.parse("--slow-reader-timeout", slowReaderTimeout))
                    .withDebug(debug);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("limits: " + e.getMessage(), e);
        }
    }
}
