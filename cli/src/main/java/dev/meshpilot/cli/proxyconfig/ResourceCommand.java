package dev.meshpilot.cli.proxyconfig;

import com.google.protobuf.Message;
import dev.meshpilot.xds.dump.DumpJson;
import dev.meshpilot.xds.inspect.DumpedConfig;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * One resource type of a proxy (clusters, listeners, routes, endpoints, eds): istioctl's table with
 * {@code -o short} (the default), the resources the filters select as a proto3 JSON array with {@code -o json}
 * (istioctl prints the raw resources), or that array as YAML.
 */
abstract class ResourceCommand<T extends Message> implements Callable<Integer> {

    @Mixin
    ProxyOptions proxy;

    @Option(names = {"-o", "--output"}, paramLabel = "short|json|yaml", defaultValue = "short",
            converter = OutputFormat.Converter.class, description = "Output format (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** The kind of resources this command shows (only those are kept from a dump file). */
    abstract DumpedConfig.Kind kind();

    /** The resources of this command's type, as the dump lists them. */
    abstract List<T> resources(DumpedConfig config);

    /** Those the command's filters select, in the order istioctl prints them with {@code -o json}. */
    abstract List<T> selected(List<T> resources);

    /** istioctl's table of the resources (filters applied). */
    abstract String table(List<T> resources);

    @Override
    public Integer call() {
        DumpedConfig config = ProxyConfigSource.configFor(proxy, spec.commandLine().getErr(),
                java.util.EnumSet.of(kind()));
        List<T> resources = resources(config);
        String text = switch (output) {
            case SHORT -> table(resources);
            case JSON -> DumpJson.printMessages(selected(resources));
            case YAML -> YamlOutput.yaml(DumpJson.printMessages(selected(resources)));
        };
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
