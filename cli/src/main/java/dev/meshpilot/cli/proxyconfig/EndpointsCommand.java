package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.EndpointTable;
import dev.meshpilot.xds.inspect.DumpedConfig;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code proxy-config endpoints}: the proxy's ClusterLoadAssignment resources. */
@Command(name = "endpoints", mixinStandardHelpOptions = true,
        description = "The endpoints of one proxy (istioctl proxy-config endpoints).")
final class EndpointsCommand extends ResourceCommand<ClusterLoadAssignment> {

    @Override
    List<ClusterLoadAssignment> select(DumpedConfig config) {
        return config.endpoints();
    }

    @Override
    String table(List<ClusterLoadAssignment> resources) {
        return EndpointTable.render(resources);
    }
}
