package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.DumpedConfig;
import dev.meshpilot.xds.inspect.RouteFilter;
import dev.meshpilot.xds.inspect.RouteTable;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code proxy-config routes}: the proxy's RouteConfiguration resources (RDS, then inline ones). */
@Command(name = "routes", aliases = {"route", "r"}, mixinStandardHelpOptions = true,
        description = "The routes of one proxy (istioctl proxy-config routes): RDS route configurations, then "
                + "those written inline in listeners (Envoy's static route configurations).")
final class RoutesCommand extends ResourceCommand<RouteConfiguration> {

    @Option(names = "--name", paramLabel = "NAME", description = "Only the route configuration of this name.")
    String name;

    @Mixin
    VerboseOption verbose;

    @Override
    DumpedConfig.Kind kind() {
        return DumpedConfig.Kind.ROUTES;
    }

    @Override
    List<RouteConfiguration> resources(DumpedConfig config) {
        return config.routes();
    }

    @Override
    List<RouteConfiguration> selected(List<RouteConfiguration> resources) {
        return RouteTable.select(resources, new RouteFilter(name));
    }

    @Override
    String table(List<RouteConfiguration> resources) {
        return RouteTable.render(resources, new RouteFilter(name), verbose.verbose, false);
    }
}
