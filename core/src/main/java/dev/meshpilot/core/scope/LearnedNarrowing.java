package dev.meshpilot.core.scope;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.ledger.WorkloadNames;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which hosts a workload is narrowed to: the pure part of learning's decision, shared by the server (which serves it)
 * and the footprint analysis (which measures what the server would serve). One representative pod per workload is
 * evaluated ({@link LearnedScopes#forPod}: its workload group's scope when the registry has one); a learned scope
 * narrows to its {@code ns/fqdn} egress hosts, a hand-written Sidecar keeps the upper bound, and a failing safety
 * check keeps what was narrowed before.
 */
public final class LearnedNarrowing {

    private LearnedNarrowing() {
    }

    /** The hosts a workload is narrowed to after evaluating {@code scope}; empty: its upper bound. */
    public static Optional<List<String>> hostsAfter(LearnedScope scope, Optional<List<String>> previous) {
        return switch (scope.outcome()) {
            case LEARNED -> Optional.of(scope.egressHosts());
            case HAND_WRITTEN_SIDECAR_WINS -> Optional.empty();
            case SAFETY_CHECK_FAILED -> previous;
        };
    }

    /** Per workload of a namespace {@code included} accepts, its first pod by name. */
    public static Map<WorkloadKey, WorkloadInstance> representatives(MeshSnapshot snapshot,
                                                                     Predicate<String> included) {
        Map<WorkloadKey, WorkloadInstance> out = new HashMap<>();
        Comparator<WorkloadInstance> byName = Comparator.comparing(WorkloadInstance::name);
        for (WorkloadInstance pod : snapshot.workloads()) {
            if (included.test(pod.namespace())) {
                out.merge(WorkloadNames.of(pod), pod, (a, b) -> byName.compare(a, b) <= 0 ? a : b);
            }
        }
        return out;
    }

    /**
     * What a server starting from {@code ledger} narrows every workload to at its first re-evaluation (nothing
     * narrowed before): per workload, its hosts when narrowed.
     */
    public static Map<WorkloadKey, List<String>> firstEvaluation(LearnedScopes learned, DependencyLedger ledger,
                                                                 Instant now) {
        Map<WorkloadKey, List<String>> out = new HashMap<>();
        representatives(learned.upperBoundSnapshot(), ns -> true).forEach((workload, pod) ->
                hostsAfter(learned.forPod(pod, ledger, now), Optional.empty())
                        .ifPresent(hosts -> out.put(workload, hosts)));
        return out;
    }
}
