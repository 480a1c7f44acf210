package dev.meshpilot.cli.proxyconfig;

import picocli.CommandLine.Command;

/**
 * {@code meshpilot proxy-config}: what one proxy holds, shown the way {@code istioctl proxy-config} shows it.
 * With {@code --registry DIR} it computes offline exactly what the server would send; with {@code --server URL} it
 * shows what a running server did send.
 */
@Command(name = "proxy-config", aliases = "pc", mixinStandardHelpOptions = true,
        description = "Show the xDS configuration of one proxy (istioctl's proxy-config).",
        subcommands = {
                ClustersCommand.class, ListenersCommand.class, RoutesCommand.class, EndpointsCommand.class, EdsCommand.class,
                AllCommand.class, ScopeCommand.class,
        })
public final class ProxyConfigCommand {
}
