package dev.meshpilot.cli.proxyconfig;

import com.google.protobuf.Message;
import dev.meshpilot.xds.inspect.DumpedConfig;
import dev.meshpilot.xds.json.XdsJson;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * One resource type of a proxy (clusters, listeners, routes, endpoints): istioctl's table with {@code -o short},
 * the resources as a proto3 JSON array with {@code -o json}, or that array as YAML.
 */
abstract class ResourceCommand<T extends Message> implements Callable<Integer> {

    @Mixin
    ProxyOptions proxy;

    @Option(names = {"-o", "--output"}, paramLabel = "short|json|yaml", defaultValue = "short",
            converter = OutputFormat.Converter.class, description = "Output format (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** The resources of this command's type. */
    abstract List<T> select(DumpedConfig config);

    /** istioctl's table of them. */
    abstract String table(List<T> resources);

    @Override
    public Integer call() {
        DumpedConfig config = DumpedConfig.from(ProxyConfigSource.dumpFor(proxy, spec.commandLine().getErr()));
        List<T> resources = select(config);
        String text = switch (output) {
            case SHORT -> table(resources);
            case JSON -> XdsJson.printMessages(resources);
            case YAML -> YamlOutput.yaml(XdsJson.printMessages(resources));
        };
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
