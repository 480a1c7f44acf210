package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.EndpointFilter;
import picocli.CommandLine.Option;

/** istioctl's endpoint filters. */
final class EndpointFilterOptions {

    @Option(names = "--address", paramLabel = "ADDR", description = "Only endpoints of this address.")
    String address;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", description = "Only endpoints on this port.")
    int port;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only endpoints of this cluster.")
    String cluster;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only endpoints of this health status.")
    String status;

    EndpointFilter filter() {
        return new EndpointFilter(address, port, cluster, status);
    }
}
