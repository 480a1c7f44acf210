package dev.meshpilot.server.learn;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.LearnedScopes;
import dev.meshpilot.core.scope.LearningSettings;
import dev.meshpilot.kube.directory.MeshLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Widen fast, narrow slowly: {@link LearningDecisions} over a loaded mesh, with {@code now} chosen by the test. */
class LearningDecisionsTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final WorkloadKey WEB = new WorkloadKey("a", "web");
    private static final String API = "b/api.b.svc.cluster.local";
    private static final String DB = "b/db.b.svc.cluster.local";

    @TempDir
    Path dir;
    private LearnedScopes learned;
    private NamespaceModes modes;

    @BeforeEach
    void load() throws Exception {
        Files.writeString(dir.resolve("mesh.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata: {name: a}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: b}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: api, namespace: b}
                spec: {selector: {app: api}, ports: [{name: http, port: 8080}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: db, namespace: b}
                spec: {selector: {app: db}, ports: [{name: tcp, port: 5432}]}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: a}
                spec:
                  selector: {matchLabels: {app: web}}
                  template: {metadata: {labels: {app: web}}}
                """);
        MeshSnapshot snapshot = MeshLoader.load(dir).snapshot();
        learned = new LearnedScopes(snapshot, LearningSettings.defaults());
        modes = NamespaceModes.of(snapshot, ScopingMode.LEARNED);
    }

    private static DependencyLedger ledger(Instant at, String host, int port) {
        return DependencyLedger.ofObservations(List.of(Observation.at(WEB, new Destination(host, port),
                CallProtocol.HTTP, EvidenceSource.ACCESS_LOG, "access-log test", at, 1)));
    }

    private static List<String> hosts(ServedLearning s) {
        return s.decision(WEB).flatMap(WorkloadDecision::hosts).orElseThrow();
    }

    @Test
    void reevaluation_narrowsToWhatWasSeen() {
        ServedLearning served = LearningDecisions.reevaluate(ServedLearning.none(ScopingMode.LEARNED), learned, modes,
                ledger(T0, "api.b.svc.cluster.local", 8080), T0);
        assertThat(hosts(served)).containsExactly(API);
        assertThat(served.evaluatedAt()).contains(T0);
    }

    @Test
    void widening_addsTheGainedDestination_andNeverNarrows() {
        DependencyLedger seen = ledger(T0, "api.b.svc.cluster.local", 8080);
        ServedLearning served = LearningDecisions.reevaluate(ServedLearning.none(ScopingMode.LEARNED), learned, modes,
                seen, T0);
        DependencyLedger more = seen.merge(ledger(T0.plusSeconds(60), "db.b.svc.cluster.local", 5432));

        ServedLearning widened = LearningDecisions.widen(served, learned, more, T0.plusSeconds(60), Set.of(WEB));
        assertThat(hosts(widened)).containsExactly(API, DB);
        assertThat(LearningDecisions.servedChanges(served, widened)).containsExactly(WEB);

        // long after api expired, a widening still keeps it: only a re-evaluation narrows
        Instant later = T0.plus(Duration.ofDays(90));
        DependencyLedger onlyDbRecently = more.merge(ledger(later, "db.b.svc.cluster.local", 5432));
        assertThat(hosts(LearningDecisions.widen(widened, learned, onlyDbRecently, later, Set.of(WEB))))
                .containsExactly(API, DB);
        assertThat(hosts(LearningDecisions.reevaluate(widened, learned, modes, onlyDbRecently, later)))
                .containsExactly(DB);
    }

    @Test
    void workloadStillAtItsUpperBound_isNotWidened() {
        ServedLearning none = ServedLearning.none(ScopingMode.LEARNED);
        ServedLearning widened = LearningDecisions.widen(none, learned, ledger(T0, "api.b.svc.cluster.local", 8080),
                T0, Set.of(WEB));
        assertThat(widened.decision(WEB)).isEmpty();
        assertThat(LearningDecisions.servedChanges(none, widened)).isEmpty();
    }

    @Test
    void shadowDecisions_areNotServedChanges() {
        NamespaceModes shadow = NamespaceModes.of(learned.upperBoundSnapshot(), ScopingMode.SHADOW);
        ServedLearning none = ServedLearning.none(ScopingMode.SHADOW);
        ServedLearning decided = LearningDecisions.reevaluate(none, learned, shadow,
                ledger(T0, "api.b.svc.cluster.local", 8080), T0);
        assertThat(hosts(decided)).containsExactly(API);
        assertThat(LearningDecisions.servedChanges(none, decided)).isEmpty();
    }

    @Test
    void offNamespaces_areNotEvaluated() {
        NamespaceModes off = NamespaceModes.of(learned.upperBoundSnapshot(), ScopingMode.OFF);
        ServedLearning decided = LearningDecisions.reevaluate(ServedLearning.none(ScopingMode.OFF), learned, off,
                ledger(T0, "api.b.svc.cluster.local", 8080), T0);
        assertThat(decided.decisions()).isEmpty();
        assertThat(off.anyLearning()).isFalse();
        assertThat(decided.decision(WEB)).isEqualTo(Optional.empty());
    }
}
