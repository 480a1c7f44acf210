package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.ClusterTable;
import dev.meshpilot.xds.inspect.DumpedConfig;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code proxy-config clusters}: the proxy's Cluster resources. */
@Command(name = "clusters", mixinStandardHelpOptions = true,
        description = "The clusters of one proxy (istioctl proxy-config clusters).")
final class ClustersCommand extends ResourceCommand<Cluster> {

    @Override
    List<Cluster> select(DumpedConfig config) {
        return config.clusters();
    }

    @Override
    String table(List<Cluster> resources) {
        return ClusterTable.render(resources);
    }
}
