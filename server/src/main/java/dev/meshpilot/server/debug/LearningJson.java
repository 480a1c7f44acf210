package dev.meshpilot.server.debug;

import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.scope.HostVerdict;
import dev.meshpilot.core.scope.LearnedScope;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.server.learn.ScopingMode;
import dev.meshpilot.server.learn.ServedLearning;
import dev.meshpilot.server.learn.WorkloadDecision;
import dev.meshpilot.server.push.MeshState;
import dev.meshpilot.server.push.ScopeLearning;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The learning parts of {@code /debug/scopez} (one proxy) and {@code /debug/learnz} (every workload): the mode, the
 * learned scope served or (in shadow mode) that would be, its fallback services and the verdict of each host — read
 * from the state the pipeline serves, so what is shown is what was served.
 */
final class LearningJson {

    private LearningJson() {
    }

    /** The {@code learning} object of {@code /debug/scopez} for one proxy. */
    static Map<String, Object> proxy(MeshState state, ProxyIdentity proxy) {
        ServedLearning learning = state.learning();
        Map<String, Object> out = new LinkedHashMap<>();
        ScopingMode mode = learning.modeOf(state.snapshot(), proxy.namespace());
        out.put("mode", mode.label());
        Optional<WorkloadKey> workload = ServedLearning.workloadOf(proxy, state.snapshot());
        out.put("workload", workload.map(WorkloadKey::toString).orElse(""));
        Optional<WorkloadDecision> decision = workload.flatMap(learning::decision);
        ProxyScope served = state.scopeFor(proxy);
        out.put("served", served.key().learned() ? "learned" : "upper-bound");
        out.put("servedServices", hostnames(served.services()));
        out.put("fallbackServices", hostnames(served.fallbackServices()));
        out.put("evaluatedAt", learning.evaluatedAt().map(Object::toString).orElse(""));
        if (decision.isEmpty()) {
            out.put("outcome", mode == ScopingMode.OFF ? "off" : "not evaluated yet");
            return out;
        }
        LearnedScope evaluation = decision.get().evaluation();
        out.put("outcome", outcome(decision.get()));
        out.put(mode == ScopingMode.LEARNED ? "learnedHosts" : "wouldServeHosts",
                decision.get().hosts().orElse(List.of()));
        out.put("verdicts", evaluation.verdicts().stream().map(LearningJson::verdict).toList());
        out.put("explain", evaluation.explain());
        return out;
    }

    /** The body of {@code /debug/learnz}. */
    static Map<String, Object> mesh(MeshState state, ScopeLearning.Measure measure) {
        ServedLearning learning = state.learning();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defaultMode", learning.defaultMode().label());
        out.put("evaluatedAt", learning.evaluatedAt().map(Object::toString).orElse(""));
        out.put("distinctScopes", measure.distinctScopes());
        out.put("learnedEdges", measure.learnedEdges());
        List<Map<String, Object>> workloads = new ArrayList<>();
        for (WorkloadDecision d : learning.decisions().values()) {
            LearnedScope evaluation = d.evaluation();
            List<MeshService> upper = evaluation.upperBound().services();
            Set<String> hosts = new HashSet<>(d.hosts().orElse(List.of()));
            List<MeshService> learned = d.hosts().isEmpty() ? upper
                    : upper.stream().filter(s -> hosts.contains(s.namespace() + "/" + s.hostname())).toList();
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("workload", d.workload().toString());
            w.put("mode", learning.modeOf(state.snapshot(), d.workload().namespace()).label());
            w.put("outcome", outcome(d));
            w.put("served", d.served());
            w.put("upperBoundServices", upper.size());
            w.put("learnedServices", learned.size());
            w.put("upperBoundClusters", clusters(upper));
            w.put("learnedClusters", clusters(learned));
            w.put("hosts", d.hosts().orElse(List.of()));
            workloads.add(w);
        }
        out.put("workloads", workloads);
        return out;
    }

    private static String outcome(WorkloadDecision d) {
        return switch (d.evaluation().outcome()) {
            case LEARNED -> "learned";
            case HAND_WRITTEN_SIDECAR_WINS -> "hand-written-sidecar-wins";
            case SAFETY_CHECK_FAILED -> "safety-check-failed";
        };
    }

    private static Map<String, Object> verdict(HostVerdict v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("host", v.egressHost());
        out.put("inScope", v.inScope());
        out.put("reason", v.reason().label());
        out.put("detail", v.detail());
        return out;
    }

    private static List<String> hostnames(List<MeshService> services) {
        return services.stream().map(MeshService::hostname).sorted().distinct().toList();
    }

    /** Outbound clusters the services make: one per service port. */
    private static int clusters(List<MeshService> services) {
        return services.stream().mapToInt(s -> s.ports().size()).sum();
    }
}
