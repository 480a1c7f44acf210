package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.ListenerFilter;
import picocli.CommandLine.Option;

/** istioctl's listener filters. */
final class ListenerFilterOptions {

    @Option(names = "--address", paramLabel = "ADDR", description = "Only listeners on this address.")
    String address;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", description = "Only listeners on this port.")
    int port;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only listeners of this type: HTTP, TCP, HTTP+TCP.")
    String type;

    ListenerFilter filter() {
        return new ListenerFilter(address, port, type);
    }
}
