package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.EdsTable;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code proxy-config eds}: the load assignments of the config dump, istioctl's {@code NAME STATUS LOCALITY CLUSTER}. */
@Command(name = "eds", mixinStandardHelpOptions = true,
        description = "The ClusterLoadAssignments of one proxy (istioctl proxy-config eds): endpoint, health, locality.")
final class EdsCommand extends LoadAssignmentsCommand {

    @Override
    String table(List<ClusterLoadAssignment> resources) {
        return EdsTable.render(resources, filter.filter(), false);
    }
}
