package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.ClusterTable;
import dev.meshpilot.xds.inspect.DumpedConfig;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

/** {@code proxy-config clusters}: the proxy's Cluster resources. */
@Command(name = "clusters", aliases = {"cluster", "c"}, mixinStandardHelpOptions = true,
        description = "The clusters of one proxy (istioctl proxy-config clusters).")
final class ClustersCommand extends ResourceCommand<Cluster> {

    @Mixin
    ClusterFilterOptions filter;

    @Override
    DumpedConfig.Kind kind() {
        return DumpedConfig.Kind.CLUSTERS;
    }

    @Override
    List<Cluster> resources(DumpedConfig config) {
        return config.clusters();
    }

    @Override
    List<Cluster> selected(List<Cluster> resources) {
        return ClusterTable.select(resources, filter.filter());
    }

    @Override
    String table(List<Cluster> resources) {
        return ClusterTable.render(resources, filter.filter(), false);
    }
}
