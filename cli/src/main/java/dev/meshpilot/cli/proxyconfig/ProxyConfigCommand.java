package dev.meshpilot.cli.proxyconfig;

import picocli.CommandLine.Command;

/**
 * {@code meshpilot proxy-config}: what one proxy holds, shown the way {@code istioctl proxy-config} shows it.
 * With {@code --registry DIR} it computes offline exactly what the server would send; with {@code --server URL} it
 * shows what a running server did send.
 */
@Command(name = "proxy-config", aliases = "pc", mixinStandardHelpOptions = true,
        description = {"Show the xDS configuration of one proxy as istioctl's proxy-config does: computed offline "
                + "(--registry DIR, --kube), as a running server sent it (--server URL), or from a saved Envoy config "
                + "dump (--file DUMP, no pod)."},
        subcommands = {
                ClustersCommand.class, ListenersCommand.class, RoutesCommand.class, EndpointsCommand.class, EdsCommand.class,
                AllCommand.class, ScopeCommand.class,
        })
public final class ProxyConfigCommand {
}
