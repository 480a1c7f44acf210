package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.ListenerTable;
import dev.meshpilot.xds.inspect.DumpedConfig;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code proxy-config listeners}: the proxy's Listener resources. */
@Command(name = "listeners", mixinStandardHelpOptions = true,
        description = "The listeners of one proxy (istioctl proxy-config listeners).")
final class ListenersCommand extends ResourceCommand<Listener> {

    @Override
    List<Listener> select(DumpedConfig config) {
        return config.listeners();
    }

    @Override
    String table(List<Listener> resources) {
        return ListenerTable.render(resources);
    }
}
