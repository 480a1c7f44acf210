package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.DumpedConfig;
import dev.meshpilot.xds.inspect.EdsTable;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import picocli.CommandLine.Mixin;

import java.util.List;

/**
 * The two views of a proxy's load assignments ({@code endpoints} and {@code eds}): the same resources and filters,
 * each with its own istioctl table.
 */
abstract class LoadAssignmentsCommand extends ResourceCommand<ClusterLoadAssignment> {

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
}
