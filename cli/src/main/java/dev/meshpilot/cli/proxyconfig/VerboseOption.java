package dev.meshpilot.cli.proxyconfig;

import picocli.CommandLine.Option;

/** istioctl's {@code --verbose} (default true): listener and route tables with a row per chain or route. */
final class VerboseOption {

    @Option(names = "--verbose", arity = "0..1", defaultValue = "true", fallbackValue = "true", paramLabel = "BOOL",
            description = "A row per filter chain / route (default: ${DEFAULT-VALUE}); --verbose=false: one per "
                    + "listener / route configuration.")
    boolean verbose = true;
}
