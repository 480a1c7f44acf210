package dev.meshpilot.cli.proxyconfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.meshpilot.core.scope.ScopeExplainer;
import dev.meshpilot.core.scope.ScopeExplanation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code proxy-config scope}: which Sidecar applied to the proxy and why, and for each service (or one host)
 * whether it is in scope and which rule put it in or kept it out. No peer offers this; users ask for it.
 */
@Command(name = "scope", mixinStandardHelpOptions = true,
        description = "Explain a proxy's scope: which Sidecar applied and why each service is in or out.")
final class ScopeCommand implements Callable<Integer> {

    @Mixin
    ProxyOptions proxy;

    @Option(names = "--host", paramLabel = "HOST", description = "Explain only this service host name.")
    String host;

    @Option(names = {"-o", "--output"}, paramLabel = "short|json|yaml", defaultValue = "short",
            converter = OutputFormat.Converter.class, description = "Output format (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        proxy.requireOneSource();
        String text;
        if (proxy.isOffline()) {
            ProxyConfigSource.Offline offline = ProxyConfigSource.loadOffline(proxy, spec.commandLine().getErr());
            ScopeExplainer explainer = new ScopeExplainer(offline.scopes());
            ScopeExplanation explanation = host == null ? explainer.explain(offline.proxy())
                    : explainer.explain(offline.proxy(), host);
            text = switch (output) {
                case SHORT -> explanation.render();
                case JSON -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(explanation) + "\n";
                case YAML -> YamlOutput.yaml(new ObjectMapper().writeValueAsString(explanation));
            };
        } else {
            String query = "/debug/scopez?proxyID=" + URLEncoder.encode(proxy.proxyId(), StandardCharsets.UTF_8)
                    + (host == null ? "" : "&host=" + URLEncoder.encode(host, StandardCharsets.UTF_8))
                    + (output == OutputFormat.SHORT ? "&text" : "");
            String body = ProxyConfigSource.httpGet(proxy.server, query);
            text = output == OutputFormat.YAML ? YamlOutput.yaml(body) : body;
        }
        spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
