package dev.meshpilot.insight.footprint;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.insight.whatif.Proposal;
import dev.meshpilot.insight.whatif.TrafficEdge;
import dev.meshpilot.insight.whatif.WhatIfs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Puts a report together: measures the mesh as it is, measures it again with the proposal applied (if any), and
 * checks both against the traffic (if given).
 */
public final class FootprintStudy {

    private final FootprintAnalyzer analyzer;

    public FootprintStudy(FootprintAnalyzer analyzer) {
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
    }

    /**
     * @param proposal the what-if to compare against, if any
     * @param traffic  calls to check the scopes against (empty: no check)
     * @param notes    notes from loading the inputs, carried into the report
     */
    public FootprintReport run(MeshSnapshot snapshot, Optional<Proposal> proposal, List<TrafficEdge> traffic,
                               ReportSettings settings, List<String> notes) {
        List<String> allNotes = new ArrayList<>(notes);
        List<WorkloadMeasurement> now = analyzer.analyze(snapshot);
        List<WorkloadMeasurement> proposed = List.of();
        if (proposal.isPresent()) {
            allNotes.addAll(proposal.get().notes());
            proposed = analyzer.analyze(WhatIfs.apply(snapshot, proposal.get()));
            if (proposed.size() != now.size()) {
                throw new IllegalStateException("the proposal changed the set of workloads: " + now.size() + " -> "
                        + proposed.size());
            }
            if (proposal.get().kind().equals("traffic")) {
                for (WorkloadMeasurement m : proposed) {
                    String expected = WhatIfs.ORACLE_PREFIX + m.workload().name();
                    if (!m.footprint().scopeName().equals(expected)) {
                        allNotes.add(m.workload().id() + " is scoped by Sidecar " + m.footprint().scopeName()
                                + ", not " + expected + " (its pod labels match another workload's selector)");
                    }
                }
            }
        }
        return compare(now, proposed, proposal.map(Proposal::description), traffic, settings, allNotes);
    }

    /**
     * The report of two measurements of the same workloads (in the same order): the mesh now and, if
     * {@code proposed} is not empty, under {@code description}; every scope checked against the traffic.
     */
    public static FootprintReport compare(List<WorkloadMeasurement> now, List<WorkloadMeasurement> proposed,
                                          Optional<String> description, List<TrafficEdge> traffic,
                                          ReportSettings settings, List<String> notes) {
        Map<String, List<TrafficEdge>> edgesBySource = new HashMap<>();
        for (TrafficEdge e : traffic) {
            edgesBySource.computeIfAbsent(e.sourceNamespace() + "/" + e.sourceWorkload(), k -> new ArrayList<>()).add(e);
        }
        List<WorkloadRow> rows = new ArrayList<>();
        for (int i = 0; i < now.size(); i++) {
            WorkloadMeasurement n = now.get(i);
            Optional<WorkloadMeasurement> p = proposed.isEmpty() ? Optional.empty() : Optional.of(proposed.get(i));
            List<TrafficEdge> edges = edgesBySource.getOrDefault(n.workload().id(), List.of());
            rows.add(new WorkloadRow(n.workload(), n.footprint(), p.map(WorkloadMeasurement::footprint),
                    outside(edges, n), p.map(m -> outside(edges, m)).orElse(List.of())));
        }
        List<WorkloadRef> refs = rows.stream().map(WorkloadRow::workload).toList();
        MeshTotals totalsNow = MeshTotals.of(refs, rows.stream().map(WorkloadRow::now).toList());
        Optional<MeshTotals> totalsProposed = proposed.isEmpty() ? Optional.empty()
                : Optional.of(MeshTotals.of(refs, rows.stream().map(r -> r.proposed().orElseThrow()).toList()));
        return new FootprintReport(settings, rows, totalsNow, totalsProposed, description,
                !traffic.isEmpty(), notes);
    }

    /**
     * The report of a set of connected proxies (live view): one row per proxy, no proposal, no traffic.
     */
    public static FootprintReport live(List<ProxyFootprint> proxies, ReportSettings settings) {
        return live(proxies, List.of(), Optional.empty(), settings, List.of());
    }

    /**
     * The report of connected proxies compared with another footprint of each (live view): {@code proposed} holds,
     * in the order of {@code proxies}, what each would hold under {@code description} (empty: no comparison).
     */
    public static FootprintReport live(List<ProxyFootprint> proxies, List<ProxyFootprint> proposed,
                                       Optional<String> description, ReportSettings settings, List<String> notes) {
        if (!proposed.isEmpty() && proposed.size() != proxies.size()) {
            throw new IllegalArgumentException("one proposed footprint per proxy: " + proxies.size() + " proxies, "
                    + proposed.size() + " proposed");
        }
        List<WorkloadRow> rows = new ArrayList<>();
        for (int i = 0; i < proxies.size(); i++) {
            ProxyFootprint f = proxies.get(i);
            String pod = f.proxyId().endsWith("." + f.namespace())
                    ? f.proxyId().substring(0, f.proxyId().length() - f.namespace().length() - 1) : f.proxyId();
            rows.add(new WorkloadRow(new WorkloadRef("Proxy", f.namespace(), pod, 1, f.proxyId()), f,
                    proposed.isEmpty() ? Optional.empty() : Optional.of(proposed.get(i)), List.of(), List.of()));
        }
        rows.sort((a, b) -> a.workload().id().compareTo(b.workload().id()));
        List<WorkloadRef> refs = rows.stream().map(WorkloadRow::workload).toList();
        MeshTotals totals = MeshTotals.of(refs, rows.stream().map(WorkloadRow::now).toList());
        Optional<MeshTotals> totalsProposed = proposed.isEmpty() ? Optional.empty()
                : Optional.of(MeshTotals.of(refs, rows.stream().map(r -> r.proposed().orElseThrow()).toList()));
        return new FootprintReport(settings, rows, totals, totalsProposed, proposed.isEmpty() ? Optional.empty()
                : description, false, notes);
    }

    private static List<TrafficEdge> outside(List<TrafficEdge> edges, WorkloadMeasurement m) {
        return edges.stream().filter(e -> !m.reaches(e.host(), e.port())).toList();
    }
}
