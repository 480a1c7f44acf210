package dev.meshpilot.server.learn;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.scope.LearnedNarrowing;
import dev.meshpilot.core.scope.LearnedScope;
import dev.meshpilot.core.scope.LearnedScopes;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How learned scopes move, as pure functions of the previous decisions, the learned scopes of a snapshot, the
 * ledger and {@code now}: widen fast, narrow slowly.
 * <ul>
 *   <li>{@link #reevaluate} (periodic): every workload of a namespace not {@code off} gets its learned scope —
 *       the only place a scope narrows (the first narrowing from the upper bound, expiry). A failing safety check
 *       keeps what was served; a hand-written Sidecar selecting the workload keeps its upper bound.</li>
 *   <li>{@link #widen} (whenever a workload gained a destination): a narrowed workload is served what it had plus
 *       what it is learned to need now; nothing narrows, and a workload still at its upper bound stays there.</li>
 * </ul>
 */
public final class LearningDecisions {

    private LearningDecisions() {
    }

    public static ServedLearning reevaluate(ServedLearning previous, LearnedScopes learned, NamespaceModes modes,
                                            DependencyLedger ledger, Instant now) {
        Map<WorkloadKey, WorkloadDecision> next = new HashMap<>();
        LearnedNarrowing.representatives(learned.upperBoundSnapshot(), ns -> modes.modeOf(ns) != ScopingMode.OFF)
                .forEach((workload, pod) -> {
            LearnedScope scope = learned.forPod(pod, ledger, now);
            Optional<List<String>> hosts = LearnedNarrowing.hostsAfter(scope,
                    previous.decision(workload).flatMap(WorkloadDecision::hosts));
            next.put(workload, new WorkloadDecision(workload, modes.modeOf(workload.namespace()), scope, hosts));
        });
        return new ServedLearning(modes.defaultMode(), next, Optional.of(now));
    }

    public static ServedLearning widen(ServedLearning previous, LearnedScopes learned, DependencyLedger ledger,
                                       Instant now, Set<WorkloadKey> gained) {
        Map<WorkloadKey, WorkloadDecision> next = new HashMap<>(previous.decisions());
        Map<WorkloadKey, WorkloadInstance> pods =
                LearnedNarrowing.representatives(learned.upperBoundSnapshot(), ns -> true);
        for (WorkloadKey workload : gained) {
            WorkloadDecision before = previous.decisions().get(workload);
            WorkloadInstance pod = pods.get(workload);
            if (before == null || before.hosts().isEmpty() || pod == null) {
                continue; // served its upper bound: nothing to widen
            }
            LearnedScope scope = learned.forPod(pod, ledger, now);
            if (scope.outcome() == LearnedScope.Outcome.HAND_WRITTEN_SIDECAR_WINS) {
                continue; // serving ignores the narrowing already; the next re-evaluation drops it
            }
            TreeSet<String> hosts = new TreeSet<>(before.hosts().get());
            for (MeshService s : scope.services()) {
                hosts.add(s.namespace() + "/" + s.hostname());
            }
            next.put(workload, before.withHosts(Optional.of(List.copyOf(hosts)), scope));
        }
        return new ServedLearning(previous.defaultMode(), next, previous.evaluatedAt());
    }

    /** Workloads whose served hosts differ between two decisions (only {@code learned} mode serves them). */
    public static Set<WorkloadKey> servedChanges(ServedLearning before, ServedLearning after) {
        Set<WorkloadKey> changed = new TreeSet<>();
        Set<WorkloadKey> all = new TreeSet<>(before.decisions().keySet());
        all.addAll(after.decisions().keySet());
        for (WorkloadKey w : all) {
            if (!Objects.equals(served(before.decisions().get(w)), served(after.decisions().get(w)))) {
                changed.add(w);
            }
        }
        return changed;
    }

    private static Optional<List<String>> served(WorkloadDecision d) {
        return d != null && d.served() ? d.hosts() : Optional.empty();
    }
}
