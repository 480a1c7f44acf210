package dev.meshpilot.cli.proxyconfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshpilot.cli.EvidenceOptions;
import dev.meshpilot.cli.UserException;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.scope.LearnedScope;
import dev.meshpilot.core.scope.LearnedScopes;
import dev.meshpilot.core.scope.LearningSettings;
import dev.meshpilot.core.scope.ScopeExplainer;
import dev.meshpilot.core.scope.ScopeExplanation;
import dev.meshpilot.insight.learn.LearnedScopeJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code proxy-config scope}: which Sidecar applied to the proxy and why, and for each service (or one host)
 * whether it is in scope and which rule put it in or kept it out. No peer offers this; users ask for it. With
 * evidence of calls ({@code --traffic}), also the workload's learned scope: each host in or out and why.
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

    @Mixin
    EvidenceOptions evidence;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** The clock "now" is read from for learned scopes. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws JsonProcessingException {
        proxy.requireOneSource();
        if (proxy.isFile()) {
            throw new UserException("proxy-config scope explains a scope from the mesh (--registry, --kube or "
                    + "--server); a config dump holds only its result");
        }
        if (evidence.given() && !proxy.isOffline()) {
            throw new UserException("proxy-config scope: --traffic needs the mesh in this process: --registry DIR "
                    + "or --kube");
        }
        String text;
        if (proxy.isOffline()) {
            ProxyConfigSource.Offline offline = ProxyConfigSource.loadOffline(proxy, spec.commandLine().getErr());
            ScopeExplainer explainer = new ScopeExplainer(offline.scopes());
            ScopeExplanation explanation = host == null ? explainer.explain(offline.proxy())
                    : explainer.explain(offline.proxy(), host);
            Optional<LearnedScope> learned = learned(offline);
            ObjectMapper json = new ObjectMapper();
            text = switch (output) {
                case SHORT -> explanation.render() + learned.map(l -> "\n" + String.join("\n", l.explain()) + "\n")
                        .orElse("");
                case JSON -> json.enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(withLearned(json, explanation, learned)) + "\n";
                case YAML -> YamlOutput.yaml(json.writeValueAsString(withLearned(json, explanation, learned)));
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

    /** The pod's learned scope when evidence was given. */
    private Optional<LearnedScope> learned(ProxyConfigSource.Offline offline) {
        if (!evidence.given()) {
            return Optional.empty();
        }
        String command = "proxy-config scope";
        Instant now = clock.instant();
        DependencyLedger ledger = EvidenceOptions.read(evidence.readers(command), now, command);
        WorkloadInstance pod = offline.snapshot().findWorkload(proxy.podName(), proxy.podNamespace()).orElseThrow();
        return Optional.of(new LearnedScopes(offline.snapshot(), LearningSettings.defaults()).forPod(pod, ledger, now));
    }

    /** The explanation alone (unchanged output) or, with a learned scope, both under {@code scope} and {@code learned}. */
    private static Object withLearned(ObjectMapper json, ScopeExplanation explanation, Optional<LearnedScope> learned) {
        if (learned.isEmpty()) {
            return explanation;
        }
        ObjectNode both = json.createObjectNode();
        both.set("scope", json.valueToTree(explanation));
        both.set("learned", LearnedScopeJson.tree(learned.get()));
        return both;
    }
}
