package dev.meshpilot.insight.evidence.prometheus;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.WorkloadKey;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DailySightingsTest {

    private static final WorkloadKey WEB = new WorkloadKey("shop", "web");
    private static final Destination CART = Destination.ofHost("cart.shop.svc.cluster.local");
    private static final Instant DAY_1_END = Instant.parse("2026-01-10T00:00:00Z");

    /** A series whose i-th value is the increase over the day ending at DAY_1_END + i days. */
    private static IstioSeries series(String reporter, CallProtocol protocol, double... perDay) {
        List<MetricSeries.Sample> samples = new ArrayList<>();
        for (int i = 0; i < perDay.length; i++) {
            samples.add(new MetricSeries.Sample(DAY_1_END.plus(IstioMetricQueries.DAY.multipliedBy(i)), perDay[i]));
        }
        return new IstioSeries(WEB, CART, protocol, reporter, samples);
    }

    private static CallEvidence evidence(List<IstioSeries> series) {
        DependencyLedger ledger = DependencyLedger.ofObservations(new DailySightings("prometheus test").observations(series));
        return ledger.page(WEB).orElseThrow().call(CART).orElseThrow();
    }

    @Test
    void positiveDays_areSeenDays_datedAtTheMiddleOfTheirWindow_withTheTotalCount() {
        CallEvidence e = evidence(List.of(series("source", CallProtocol.HTTP, 0, 5, 0, 2.4, 0)));

        assertThat(e.seenDays()).containsExactly(LocalDate.parse("2026-01-10").toEpochDay(),
                LocalDate.parse("2026-01-12").toEpochDay());
        assertThat(e.firstSeen()).isEqualTo(Instant.parse("2026-01-10T12:00:00Z"));
        assertThat(e.lastSeen()).isEqualTo(Instant.parse("2026-01-12T12:00:00Z"));
        assertThat(e.count()).isEqualTo(7);
    }

    @Test
    void sourceReportedSeries_winOverDestinationReported() {
        CallEvidence e = evidence(List.of(series("source", CallProtocol.HTTP, 0, 3),
                series("destination", CallProtocol.HTTP, 100, 100)));

        assertThat(e.count()).isEqualTo(3);
        assertThat(e.seenDays()).hasSize(1);
    }

    @Test
    void destinationReportedSeries_areUsedWhenTheEdgeHasNoSourceSeries() {
        CallEvidence e = evidence(List.of(series("destination", CallProtocol.GRPC, 4, 0)));

        assertThat(e.count()).isEqualTo(4);
        assertThat(e.protocols()).containsExactly(CallProtocol.GRPC);
    }

    @Test
    void protocolsOfOneEdge_shareOneCumulativeCount() {
        CallEvidence e = evidence(List.of(series("source", CallProtocol.HTTP, 2, 0),
                series("source", CallProtocol.GRPC, 0, 3)));

        assertThat(e.protocols()).containsExactlyInAnyOrder(CallProtocol.HTTP, CallProtocol.GRPC);
        assertThat(e.count()).isEqualTo(5);
    }

    @Test
    void tinyExtrapolatedIncrease_countsAsOneCall() {
        assertThat(evidence(List.of(series("source", CallProtocol.TCP, 0.2))).count()).isEqualTo(1);
    }

    @Test
    void seriesThatNeverGrow_giveNoObservation() {
        assertThat(new DailySightings("prometheus test").observations(
                List.of(series("source", CallProtocol.HTTP, 0, 0, 0)))).isEmpty();
    }
}
