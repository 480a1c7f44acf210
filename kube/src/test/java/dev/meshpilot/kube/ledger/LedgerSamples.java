package dev.meshpilot.kube.ledger;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Ledgers for store tests, built from observations as sources would make them. */
final class LedgerSamples {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final WorkloadKey PRODUCTPAGE = new WorkloadKey("bookinfo", "productpage-v1");
    static final WorkloadKey REVIEWS = new WorkloadKey("bookinfo", "reviews-v2");

    private LedgerSamples() {
    }

    static Observation call(WorkloadKey caller, String host, int port, String reporter, Instant at, long count) {
        return Observation.at(caller, new Destination(host, port), CallProtocol.HTTP, EvidenceSource.PROMETHEUS,
                reporter, at, count);
    }

    /** productpage calls reviews and details; reviews calls ratings over TCP, seen by an access log. */
    static DependencyLedger bookinfo() {
        return DependencyLedger.ofObservations(List.of(
                call(PRODUCTPAGE, "reviews.bookinfo.svc.cluster.local", 9080, "prometheus http://prom:9090", T0, 40),
                call(PRODUCTPAGE, "details.bookinfo.svc.cluster.local", 9080, "prometheus http://prom:9090",
                        T0.plusSeconds(86_400 * 3), 7),
                new Observation(REVIEWS, new Destination("ratings.bookinfo.svc.cluster.local", 9080), CallProtocol.TCP,
                        EvidenceSource.ACCESS_LOG, "access-log meshpilot-0", T0, T0.plusSeconds(3_600), 3)))
                .reportedBy(List.of(PRODUCTPAGE), EvidenceSource.PROMETHEUS, T0.plusSeconds(86_400 * 4));
    }

    /** One more call of productpage, seen by another reporter. */
    static DependencyLedger productpageCalls(String host, String reporter) {
        return DependencyLedger.ofObservations(List.of(call(PRODUCTPAGE, host, 80, reporter, T0, 1)));
    }

    /** {@code caller} calling {@code hosts} distinct hosts. */
    static DependencyLedger calling(WorkloadKey caller, int hosts) {
        List<Observation> observations = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            observations.add(call(caller, "svc-" + i + ".team-" + (i % 50) + ".svc.cluster.local", 8080,
                    "prometheus http://prometheus.istio-system:9090", T0.plusSeconds(i), 100 + i));
        }
        return DependencyLedger.ofObservations(observations);
    }
}
