package dev.meshpilot.cli.serve;

import dev.meshpilot.kube.directory.ParseLimits;
import dev.meshpilot.kube.directory.WatchSettings;
import dev.meshpilot.server.RegistryWatchOptions;
import picocli.CommandLine.Option;

/** {@code serve}'s flags for watching a registry directory and bounding what one object may cost. */
final class RegistryWatchFlags {

    @Option(names = "--registry-settle", paramLabel = "DURATION", defaultValue = "2s",
            description = "How long a file that looks half-written (empty, unreadable, a malformed document, or "
                    + "fewer objects than it had) must stay unchanged before it is applied; until then its last "
                    + "good objects are served (default: ${DEFAULT-VALUE}).")
    String settle;

    @Option(names = "--registry-poll", paramLabel = "DURATION", defaultValue = "200ms",
            description = "How often the registry directory is listed besides change notifications "
                    + "(default: ${DEFAULT-VALUE}).")
    String poll;

    @Option(names = "--registry-max-file-bytes", paramLabel = "BYTES", defaultValue = "16777216",
            description = "Largest manifest file that is read; a larger one keeps its last good objects "
                    + "(default: ${DEFAULT-VALUE}).")
    long maxFileBytes;

    @Option(names = "--registry-max-scalar-chars", paramLabel = "CHARS", defaultValue = "1048576",
            description = "Longest YAML scalar (and line, checked before parsing) (default: ${DEFAULT-VALUE}).")
    int maxScalarChars;

    @Option(names = "--max-service-ports", paramLabel = "N", defaultValue = "100",
            description = "Most ports a Service may declare; a Service with more is refused with a located error "
                    + "and its last good version kept (default: ${DEFAULT-VALUE}).")
    int maxServicePorts;

    /** @throws IllegalArgumentException for a bad value, with the flag's name */
    RegistryWatchOptions options() {
        if (maxFileBytes < 1 || maxFileBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--registry-max-file-bytes must be between 1 and " + Integer.MAX_VALUE);
        }
        if (maxScalarChars < 1) {
            throw new IllegalArgumentException("--registry-max-scalar-chars must be at least 1");
        }
        ParseLimits defaults = ParseLimits.DEFAULT;
        ParseLimits limits = new ParseLimits(maxFileBytes, maxScalarChars, defaults.maxAliases(),
                defaults.maxNestingDepth());
        WatchSettings watch = WatchSettings.DEFAULT
                .withPollInterval(ServeCommand.Durations.parse("--registry-poll", poll))
                .withSettleWindow(ServeCommand.Durations.parse("--registry-settle", settle))
                .withLimits(limits);
        if (maxServicePorts < 1) {
            throw new IllegalArgumentException("--max-service-ports must be at least 1");
        }
        return new RegistryWatchOptions(watch, maxServicePorts);
    }

}
