package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.EndpointTable;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * {@code proxy-config endpoints}: the proxy's endpoints in istioctl's {@code ENDPOINT STATUS OUTLIER CHECK
 * CLUSTER} table (istioctl reads it from Envoy's {@code /clusters}; here it comes from the load assignments).
 */
@Command(name = "endpoints", aliases = {"endpoint", "ep"}, mixinStandardHelpOptions = true,
        description = "The endpoints of one proxy (istioctl proxy-config endpoints), from its load assignments.")
final class EndpointsCommand extends LoadAssignmentsCommand {

    @Override
    String table(List<ClusterLoadAssignment> resources) {
        return EndpointTable.render(resources, filter.filter());
    }
}
