package dev.meshpilot.insight.evidence.prometheus;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns daily-increase series into observations. Series of one (caller, destination) edge are used from the
 * {@code source} reporter when there are any, else from the others (a destination-side proxy also counts calls from
 * callers without a sidecar). Each day whose increase is positive is a sighting, dated at the middle of that day's
 * window (the best estimate of when its calls happened, and on the calendar day covering most of the window), and
 * stated with the edge's cumulative count so far (rounded, at least one), once per protocol seen that day. Merged,
 * they give the first and last sighting, the seen days, and the total.
 */
final class DailySightings {

    private record Edge(WorkloadKey caller, Destination destination) {
    }

    private static final Duration HALF_DAY = IstioMetricQueries.DAY.dividedBy(2);

    private final String reporter;

    /** @param reporter the ledger's reporter for these observations ({@code prometheus URL}) */
    DailySightings(String reporter) {
        this.reporter = reporter;
    }

    List<Observation> observations(Collection<IstioSeries> series) {
        Map<Edge, List<IstioSeries>> byEdge = new LinkedHashMap<>();
        for (IstioSeries s : series) {
            byEdge.computeIfAbsent(new Edge(s.caller(), s.destination()), e -> new ArrayList<>()).add(s);
        }
        List<Observation> out = new ArrayList<>();
        byEdge.forEach((edge, all) -> out.addAll(edgeObservations(edge, preferred(all))));
        return out;
    }

    private static List<IstioSeries> preferred(List<IstioSeries> all) {
        List<IstioSeries> fromSource = all.stream().filter(IstioSeries::reportedBySource).toList();
        return fromSource.isEmpty() ? all : fromSource;
    }

    private List<Observation> edgeObservations(Edge edge, List<IstioSeries> series) {
        TreeMap<Instant, Double> increaseByDay = new TreeMap<>();
        Map<Instant, Set<CallProtocol>> protocolsByDay = new TreeMap<>();
        for (IstioSeries s : series) {
            for (MetricSeries.Sample sample : s.samples()) {
                if (sample.value() > 0 && Double.isFinite(sample.value())) {
                    increaseByDay.merge(sample.at(), sample.value(), Double::sum);
                    protocolsByDay.computeIfAbsent(sample.at(), d -> EnumSet.noneOf(CallProtocol.class))
                            .add(s.protocol());
                }
            }
        }
        List<Observation> out = new ArrayList<>();
        double cumulative = 0;
        for (Map.Entry<Instant, Double> day : increaseByDay.entrySet()) {
            cumulative += day.getValue();
            long count = Math.max(1, Math.round(cumulative));
            for (CallProtocol protocol : protocolsByDay.get(day.getKey())) {
                out.add(Observation.at(edge.caller(), edge.destination(), protocol, EvidenceSource.PROMETHEUS,
                        reporter, day.getKey().minus(HALF_DAY), count));
            }
        }
        return out;
    }
}
