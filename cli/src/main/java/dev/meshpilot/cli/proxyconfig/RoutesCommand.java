package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.RouteTable;
import dev.meshpilot.xds.inspect.DumpedConfig;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code proxy-config routes}: the proxy's RouteConfiguration resources. */
@Command(name = "routes", mixinStandardHelpOptions = true,
        description = "The routes of one proxy (istioctl proxy-config routes).")
final class RoutesCommand extends ResourceCommand<RouteConfiguration> {

    @Override
    List<RouteConfiguration> select(DumpedConfig config) {
        return config.routes();
    }

    @Override
    String table(List<RouteConfiguration> resources) {
        return RouteTable.render(resources);
    }
}
