package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.ClusterFilter;
import picocli.CommandLine.Option;

/** istioctl's cluster filters. */
final class ClusterFilterOptions {

    @Option(names = "--fqdn", paramLabel = "FQDN", description = "Only clusters whose name contains this FQDN.")
    String fqdn;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0", description = "Only clusters of this port.")
    int port;

    @Option(names = "--subset", paramLabel = "SUBSET", description = "Only clusters whose name contains this subset.")
    String subset;

    @Option(names = "--direction", paramLabel = "DIR", description = "Only inbound or outbound clusters.")
    String direction;

    ClusterFilter filter() {
        return new ClusterFilter(fqdn, port, subset, direction);
    }
}
