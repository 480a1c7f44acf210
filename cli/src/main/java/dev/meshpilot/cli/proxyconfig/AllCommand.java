package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.xds.inspect.ClusterTable;
import dev.meshpilot.xds.inspect.DumpedConfig;
import dev.meshpilot.xds.inspect.EndpointTable;
import dev.meshpilot.xds.inspect.ListenerTable;
import dev.meshpilot.xds.inspect.RouteTable;
import dev.meshpilot.xds.json.XdsJson;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code proxy-config all}: every resource of a proxy; {@code -o json} prints it shaped like an Envoy config dump
 * (clusters, listeners, routes, endpoints), {@code -o short} the four tables one after the other.
 */
@Command(name = "all", mixinStandardHelpOptions = true,
        description = "All xDS resources of one proxy; -o json prints an Envoy config dump.")
final class AllCommand implements Callable<Integer> {

    @Mixin
    ProxyOptions proxy;

    @Option(names = {"-o", "--output"}, paramLabel = "short|json|yaml", defaultValue = "short",
            converter = OutputFormat.Converter.class, description = "Output format (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ConfigDump dump = ProxyConfigSource.dumpFor(proxy, spec.commandLine().getErr());
        String text = switch (output) {
            case SHORT -> tables(DumpedConfig.from(dump));
            case JSON -> XdsJson.print(dump) + "\n";
            case YAML -> YamlOutput.yaml(XdsJson.print(dump));
        };
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static String tables(DumpedConfig config) {
        return ClusterTable.render(config.clusters()) + "\n"
                + ListenerTable.render(config.listeners()) + "\n"
                + RouteTable.render(config.routes()) + "\n"
                + EndpointTable.render(config.endpoints());
    }
}
