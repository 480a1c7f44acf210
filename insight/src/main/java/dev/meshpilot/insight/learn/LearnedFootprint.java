package dev.meshpilot.insight.learn;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.ledger.WorkloadLedger;
import dev.meshpilot.core.ledger.WorkloadNames;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.LearnedNarrowing;
import dev.meshpilot.core.scope.LearnedScopes;
import dev.meshpilot.core.scope.LearningSettings;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.ScopeKey;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.insight.footprint.FootprintAnalyzer;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.footprint.FootprintStudy;
import dev.meshpilot.insight.footprint.ReportSettings;
import dev.meshpilot.insight.footprint.WorkloadMeasurement;
import dev.meshpilot.insight.whatif.TrafficEdge;
import dev.meshpilot.xds.generate.GeneratorOptions;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code serve --scoping learned} would serve, measured: every workload now (its upper bound, generated as
 * today) and learned (narrowed as the server's first re-evaluation of the ledger narrows it,
 * {@link LearnedNarrowing}; the rest of the upper bound as fallback services; generated with
 * {@link GeneratorOptions#learning()}, so fallback chains, the fallback virtual host and the access-log config are
 * counted). A workload a hand-written Sidecar selects keeps its scope. The calls of the ledger are checked against
 * both; a call outside the learned scope but inside the upper bound goes to a fallback.
 */
public final class LearnedFootprint {

    /**
     * @param report         now → learned, with the ledger's calls as traffic
     * @param distinctScopes distinct learned scopes (proxies with equal learned hosts share one)
     * @param narrowed       workloads narrowed
     * @param fallbackCalls  calls outside the learned scope but inside the upper bound (they take a fallback path)
     */
    public record Result(FootprintReport report, int distinctScopes, int narrowed, List<TrafficEdge> fallbackCalls) {
    }

    /** The proposal line of the report. */
    public static final String DESCRIPTION = "learned (serve --scoping learned): the ledger's calls, the rest of the "
            + "upper bound as fallback";

    private final FootprintAnalyzer today;
    private final FootprintAnalyzer learning;

    /** @param analyzer measures today's generation; the learned side uses the same with learning's options. */
    public LearnedFootprint(FootprintAnalyzer analyzer) {
        this.today = Objects.requireNonNull(analyzer, "analyzer");
        this.learning = analyzer.withGenerator(new ProxyConfigGenerator(GeneratorOptions.learning()));
    }

    public Result measure(MeshSnapshot snapshot, DependencyLedger ledger, LearningSettings settings, Instant now,
                          ReportSettings reportSettings, List<String> notes) {
        LearnedScopes learned = new LearnedScopes(snapshot, settings);
        Map<WorkloadKey, List<String>> hosts = LearnedNarrowing.firstEvaluation(learned, ledger, now);
        Set<ScopeKey> keys = new HashSet<>();
        FootprintAnalyzer.ScopeChoice served = (scopes, proxy) -> {
            ProxyScope scope = narrowingOf(scopes, proxy, hosts);
            if (scope.key().learned()) {
                keys.add(scope.key());
            }
            return scope;
        };
        List<WorkloadMeasurement> upper = today.analyze(snapshot);
        List<WorkloadMeasurement> narrowed = learning.analyze(snapshot, served);
        List<TrafficEdge> calls = calls(ledger);
        List<TrafficEdge> fallback = new ArrayList<>();
        for (int i = 0; i < upper.size(); i++) {
            WorkloadMeasurement u = upper.get(i);
            WorkloadMeasurement l = narrowed.get(i);
            for (TrafficEdge call : calls) {
                if ((call.sourceNamespace() + "/" + call.sourceWorkload()).equals(u.workload().id())
                        && u.reaches(call.host(), call.port()) && !l.reaches(call.host(), call.port())) {
                    fallback.add(call);
                }
            }
        }
        int narrowedRows = (int) narrowed.stream()
                .filter(m -> m.footprint().scopeName().equals(SidecarScopes.LEARNED_SCOPE_NAME)).count();
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.add(keys.size() + " distinct learned scopes over " + narrowedRows + " narrowed workloads");
        allNotes.add(fallback.size() + " observed calls would go to a fallback (outside the learned scope, inside the"
                + " upper bound)");
        allNotes.add("learned figures: generated with learning's options (fallback chains, access-log config)");
        FootprintReport report = FootprintStudy.compare(upper, narrowed, Optional.of(DESCRIPTION), calls,
                reportSettings, allNotes);
        return new Result(report, keys.size(), narrowedRows, List.copyOf(fallback));
    }

    private static ProxyScope narrowingOf(SidecarScopes scopes, ProxyIdentity proxy,
                                          Map<WorkloadKey, List<String>> hosts) {
        Optional<List<String>> narrowed = scopes.snapshot().findWorkload(proxy.podName(), proxy.namespace())
                .map(WorkloadNames::of).map(hosts::get);
        return narrowed.isPresent() ? scopes.narrowedScopeFor(proxy, narrowed.get()) : scopes.scopeFor(proxy);
    }

    /** Every call of the ledger to a destination, as a traffic edge (port 0 when the evidence has none). */
    private static List<TrafficEdge> calls(DependencyLedger ledger) {
        List<TrafficEdge> out = new ArrayList<>();
        for (WorkloadLedger page : ledger.pages()) {
            for (CallEvidence call : page.calls().values()) {
                out.add(new TrafficEdge(page.workload().name(), page.workload().namespace(), call.destination().host(),
                        call.destination().port(), String.join("+", call.sources().stream().map(Object::toString)
                        .sorted().toList()), 0));
            }
        }
        return out;
    }
}
