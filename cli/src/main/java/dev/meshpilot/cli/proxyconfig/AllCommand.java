package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.cli.UserException;
import dev.meshpilot.xds.inspect.ClusterFilter;
import dev.meshpilot.xds.inspect.DumpedConfig;
import dev.meshpilot.xds.inspect.EndpointFilter;
import dev.meshpilot.xds.inspect.FullSummary;
import dev.meshpilot.xds.inspect.ListenerFilter;
import dev.meshpilot.xds.inspect.RouteFilter;
import dev.meshpilot.xds.dump.DumpJson;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.Callable;

/**
 * {@code proxy-config all}: every resource of a proxy. {@code -o json} prints an Envoy config dump (with
 * {@code --file}, the file itself, as istioctl does); {@code -o short} istioctl's full summary: bootstrap
 * versions, then clusters, listeners, routes, secrets and endpoints, each row named {@code TYPE/NAME}.
 */
@Command(name = "all", aliases = "a", mixinStandardHelpOptions = true,
        description = "All xDS resources of one proxy; -o json prints an Envoy config dump (the file itself with --file).")
final class AllCommand implements Callable<Integer> {

    @Mixin
    ProxyOptions proxy;

    @Option(names = {"-o", "--output"}, paramLabel = "short|json|yaml", defaultValue = "short",
            converter = OutputFormat.Converter.class, description = "Output format (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--with-headers", description = "Print a header line before each section, as istioctl does.")
    boolean withHeaders;

    @Option(names = "--fqdn", paramLabel = "FQDN", description = "Only clusters whose name contains this FQDN.")
    String fqdn;

    @Option(names = "--subset", paramLabel = "SUBSET", description = "Only clusters whose name contains this subset.")
    String subset;

    @Option(names = "--direction", paramLabel = "DIR", description = "Only inbound or outbound clusters.")
    String direction;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "Only clusters, listeners and endpoints of this port.")
    int port;

    @Option(names = "--address", paramLabel = "ADDR", description = "Only listeners and endpoints of this address.")
    String address;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only listeners of this type.")
    String type;

    @Option(names = "--name", paramLabel = "NAME", description = "Only the route configuration of this name.")
    String name;

    @Option(names = "--cluster", paramLabel = "NAME", description = "Only endpoints of this cluster.")
    String cluster;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only endpoints of this health status.")
    String status;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        proxy.requireOneSource();
        String text;
        if (output != OutputFormat.SHORT && proxy.isFile()) {
            ProxyConfigSource.readFile(proxy.file);
            String raw = readRaw();
            text = output == OutputFormat.JSON ? raw : YamlOutput.yaml(raw);
        } else if (output == OutputFormat.SHORT) {
            DumpedConfig config = ProxyConfigSource.configFor(proxy, spec.commandLine().getErr());
            text = FullSummary.render(config, new ClusterFilter(fqdn, port, subset, direction),
                    new ListenerFilter(address, port, type), new RouteFilter(name),
                    new EndpointFilter(address, port, cluster, status), verbose.verbose, withHeaders);
        } else {
            ConfigDump dump = ProxyConfigSource.dumpFor(proxy, spec.commandLine().getErr());
            text = output == OutputFormat.JSON ? DumpJson.print(dump) + "\n" : YamlOutput.yaml(DumpJson.print(dump));
        }
        spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
        spec.commandLine().getOut().flush();
        return 0;
    }

    private String readRaw() {
        try (InputStream in = Files.newInputStream(proxy.file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + proxy.file, e);
        } catch (OutOfMemoryError e) {
            throw new UserException(proxy.file + " is too large to print whole; use the tables or a filter");
        }
    }
}
