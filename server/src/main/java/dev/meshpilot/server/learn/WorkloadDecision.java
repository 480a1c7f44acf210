package dev.meshpilot.server.learn;

import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.scope.LearnedScope;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What learning decided for one workload at its last evaluation.
 *
 * @param mode       the scoping mode of its namespace then
 * @param evaluation the learned scope as last computed (its verdicts say why each host is in or out)
 * @param hosts      the egress hosts ({@code ns/fqdn}, sorted) the workload is narrowed to — served in
 *                   {@code learned} mode, would be served in {@code shadow} mode; empty while it keeps its upper
 *                   bound (not narrowed yet, or a hand-written Sidecar selects it)
 */
public record WorkloadDecision(WorkloadKey workload, ScopingMode mode, LearnedScope evaluation,
                               Optional<List<String>> hosts) {
    public WorkloadDecision {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(evaluation, "evaluation");
        hosts = hosts == null ? Optional.empty() : hosts.map(h -> List.copyOf(new TreeSet<>(h)));
    }

    /** True when its proxies are served the narrowed hosts now. */
    public boolean served() {
        return mode == ScopingMode.LEARNED && hosts.isPresent();
    }

    WorkloadDecision withHosts(Optional<List<String>> newHosts, LearnedScope newEvaluation) {
        return new WorkloadDecision(workload, mode, newEvaluation, newHosts);
    }
}
