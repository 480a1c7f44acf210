package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.DumpedConfig;
import dev.meshpilot.xds.inspect.EdsTable;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

/** {@code proxy-config eds}: the load assignments of the config dump, istioctl's {@code NAME STATUS LOCALITY CLUSTER}. */
@Command(name = "eds", mixinStandardHelpOptions = true,
        description = "The ClusterLoadAssignments of one proxy (istioctl proxy-config eds): endpoint, health, locality.")
final class EdsCommand extends ResourceCommand<ClusterLoadAssignment> {

    @Mixin
    EndpointFilterOptions filter;

    @Override
    DumpedConfig.Kind kind() {
        return DumpedConfig.Kind.ENDPOINTS;
    }

    @Override
    List<ClusterLoadAssignment> resources(DumpedConfig config) {
        return config.endpoints();
    }

    @Override
    List<ClusterLoadAssignment> selected(List<ClusterLoadAssignment> resources) {
        return EdsTable.select(resources, filter.filter());
    }

    @Override
    String table(List<ClusterLoadAssignment> resources) {
        return EdsTable.render(resources, filter.filter(), false);
    }
}
