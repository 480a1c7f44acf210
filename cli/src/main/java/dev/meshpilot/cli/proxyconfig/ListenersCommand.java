package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.DumpedConfig;
import dev.meshpilot.xds.inspect.ListenerTable;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

/** {@code proxy-config listeners}: the proxy's Listener resources. */
@Command(name = "listeners", aliases = {"listener", "l"}, mixinStandardHelpOptions = true,
        description = "The listeners of one proxy (istioctl proxy-config listeners).")
final class ListenersCommand extends ResourceCommand<Listener> {

    @Mixin
    ListenerFilterOptions filter;

    @Mixin
    VerboseOption verbose;

    @Override
    DumpedConfig.Kind kind() {
        return DumpedConfig.Kind.LISTENERS;
    }

    @Override
    List<Listener> resources(DumpedConfig config) {
        return config.listeners();
    }

    @Override
    List<Listener> selected(List<Listener> resources) {
        return ListenerTable.select(resources, filter.filter());
    }

    @Override
    String table(List<Listener> resources) {
        return ListenerTable.render(resources, filter.filter(), verbose.verbose, false);
    }
}
