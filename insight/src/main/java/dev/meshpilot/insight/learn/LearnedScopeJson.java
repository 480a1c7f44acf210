package dev.meshpilot.insight.learn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshpilot.core.scope.HostVerdict;
import dev.meshpilot.core.scope.LearnedScope;

/** One workload's learned scope as a JSON tree: outcome, egress hosts, every host's verdict, problems. */
public final class LearnedScopeJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LearnedScopeJson() {
    }

    public static ObjectNode tree(LearnedScope scope) {
        ObjectNode w = JSON.createObjectNode();
        w.put("workload", scope.workload().toString());
        w.put("outcome", scope.outcome().name());
        w.put("upperBound", scope.upperBound().name());
        scope.handWrittenSidecar().ifPresent(s -> w.put("handWrittenSidecar", s));
        ArrayNode hosts = w.putArray("egressHosts");
        scope.egressHosts().forEach(hosts::add);
        ArrayNode verdicts = w.putArray("verdicts");
        for (HostVerdict v : scope.verdicts()) {
            verdicts.addObject().put("host", v.host()).put("namespace", v.namespace()).put("inScope", v.inScope())
                    .put("reason", v.reason().name()).put("detail", v.detail());
        }
        ArrayNode broken = w.putArray("brokenCalls");
        scope.brokenCalls().forEach(c -> broken.add(c.destination().toString()));
        ArrayNode problems = w.putArray("problems");
        scope.problems().forEach(problems::add);
        return w;
    }
}
