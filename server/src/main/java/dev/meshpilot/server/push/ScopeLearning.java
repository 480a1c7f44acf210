package dev.meshpilot.server.push;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.ledger.WorkloadLedger;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.LearnedNarrowing;
import dev.meshpilot.core.scope.LearnedScopes;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ScopeKey;
import dev.meshpilot.server.learn.LearningDecisions;
import dev.meshpilot.server.learn.NamespaceModes;
import dev.meshpilot.server.learn.ScopingMode;
import dev.meshpilot.server.learn.ScopingOptions;
import dev.meshpilot.server.learn.ServedLearning;
import dev.meshpilot.server.learn.WorkloadDecision;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The push pipeline's side of learned scopes: reads the ledger and the clock, runs {@link LearningDecisions} over
 * the state being served and measures the result. Used only on the pipeline's thread (its cache of learned scopes
 * per snapshot is that thread's), except for the measurements, which are published as immutable values.
 */
public final class ScopeLearning {
    private static final Logger LOG = Logger.getLogger(ScopeLearning.class.getName());
    /** The {@code path} label of widenings shown by an access-log entry (or any evidence but a subscription). */
    public static final String ACCESS_LOG_PATH = "access_log";
    /** The {@code path} label of widenings shown by a proxyless gRPC client's subscription. */
    public static final String GRPC_SUBSCRIPTION_PATH = "grpc_subscription";

    /** What learning serves, measured after each change of its decisions. */
    public record Measure(int distinctScopes, long learnedEdges, Map<WorkloadKey, ScopeKey> scopeKeys) {
        static final Measure NONE = new Measure(0, 0, Map.of());
    }

    private final ScopingOptions options;
    private final Supplier<DependencyLedger> ledger;
    private final Consumer<List<Observation>> evidence;
    private final Clock clock;
    private LearnedScopes learned;
    private List<String> reportedProblems = List.of();
    private volatile Measure measure = Measure.NONE;

    /**
     * @param ledger   the current ledger (the ledger keeper's)
     * @param evidence where evidence learning itself finds goes (the ledger keeper, whose listener then widens)
     */
    public ScopeLearning(ScopingOptions options, Supplier<DependencyLedger> ledger,
                         Consumer<List<Observation>> evidence, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Learning off everywhere unless a namespace label says otherwise, with an empty ledger. */
    public static ScopeLearning off() {
        return new ScopeLearning(ScopingOptions.defaults().withMode(ScopingMode.OFF), DependencyLedger::empty,
                seen -> { }, Clock.systemUTC());
    }

    public ScopingOptions options() {
        return options;
    }

    public DependencyLedger ledger() {
        return ledger.get();
    }

    public Clock clock() {
        return clock;
    }

    public Measure measure() {
        return measure;
    }

    /** Hands evidence learning found (a gRPC subscription) to the ledger. */
    void record(List<Observation> seen) {
        evidence.accept(seen);
    }

    ServedLearning initial() {
        return ServedLearning.none(options.defaultMode());
    }

    /** The periodic re-evaluation; a snapshot where every namespace is {@code off} computes nothing. */
    ServedLearning reevaluate(MeshState state) {
        NamespaceModes modes = NamespaceModes.of(state.snapshot(), options.defaultMode());
        if (!modes.problems().equals(reportedProblems)) {
            reportedProblems = modes.problems();
            reportedProblems.forEach(p -> LOG.warning(() -> "learning: " + p));
        }
        if (!modes.anyLearning()) {
            return initial();
        }
        return LearningDecisions.reevaluate(state.learning(), learnedScopes(state.snapshot()), modes, ledger.get(),
                clock.instant());
    }

    ServedLearning widen(MeshState state, Set<WorkloadKey> gained) {
        if (state.learning().decisions().isEmpty()) {
            return state.learning();
        }
        return LearningDecisions.widen(state.learning(), learnedScopes(state.snapshot()), ledger.get(),
                clock.instant(), gained);
    }

    /** Per workload whose hosts grew between two decisions, the path that showed the need. */
    Map<WorkloadKey, String> widenings(ServedLearning before, ServedLearning after) {
        Map<WorkloadKey, String> out = new TreeMap<>();
        DependencyLedger current = ledger.get();
        after.decisions().forEach((workload, d) -> {
            WorkloadDecision old = before.decisions().get(workload);
            if (old == null || old.hosts().isEmpty() || d.hosts().isEmpty()) {
                return;
            }
            Set<String> added = new HashSet<>(d.hosts().get());
            old.hosts().get().forEach(added::remove);
            if (added.isEmpty()) {
                return;
            }
            Set<String> addedHostnames = new HashSet<>();
            added.forEach(h -> addedHostnames.add(h.substring(h.indexOf('/') + 1)));
            boolean subscribed = current.page(workload).map(WorkloadLedger::calls).orElse(new TreeMap<>()).values()
                    .stream().filter(c -> addedHostnames.contains(c.destination().host()))
                    .map(CallEvidence::sources).anyMatch(s -> s.contains(EvidenceSource.GRPC_SUBSCRIPTION));
            out.put(workload, subscribed ? GRPC_SUBSCRIPTION_PATH : ACCESS_LOG_PATH);
        });
        return out;
    }

    /** Measures what a state serves (or in shadow mode would): distinct learned scopes and their edges. */
    void measure(MeshState state) {
        Map<WorkloadKey, WorkloadInstance> pods = LearnedNarrowing.representatives(state.snapshot(), ns -> true);
        Map<WorkloadKey, ScopeKey> keys = new TreeMap<>();
        long edges = 0;
        for (WorkloadDecision d : state.learning().decisions().values()) {
            WorkloadInstance pod = pods.get(d.workload());
            if (d.hosts().isEmpty() || pod == null) {
                continue;
            }
            ScopeKey key = state.scopes().narrowedScopeFor(ProxyIdentities.fromWorkload(pod), d.hosts().get()).key();
            if (key.learned()) {
                keys.put(d.workload(), key);
                edges += key.learnedHosts().size();
            }
        }
        measure = new Measure((int) keys.values().stream().distinct().count(), edges, keys);
    }

    private LearnedScopes learnedScopes(MeshSnapshot snapshot) {
        if (learned == null || learned.upperBoundSnapshot().version() != snapshot.version()) {
            learned = new LearnedScopes(snapshot, options.settings());
        }
        return learned;
    }
}
