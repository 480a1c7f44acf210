package dev.meshpilot.core.ledger;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Merging evidence is a join: the ledger does not depend on the order or the repetition of what it was told. */
class LedgerMergePropertiesTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @Property(tries = 200)
    void observationsInAnyOrder_giveTheSameLedger(@ForAll("observations") List<Observation> observations,
                                                  @ForAll long seed) {
        List<Observation> shuffled = new ArrayList<>(observations);
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(DependencyLedger.ofObservations(shuffled)).isEqualTo(DependencyLedger.ofObservations(observations));
    }

    @Property(tries = 200)
    void repeatingObservations_changesNothing(@ForAll("observations") List<Observation> observations) {
        List<Observation> twice = new ArrayList<>(observations);
        twice.addAll(observations);
        assertThat(DependencyLedger.ofObservations(twice)).isEqualTo(DependencyLedger.ofObservations(observations));
    }

    @Property(tries = 200)
    void merge_isIdempotentCommutativeAndAssociative(@ForAll("observations") List<Observation> a,
                                                      @ForAll("observations") List<Observation> b,
                                                      @ForAll("observations") List<Observation> c) {
        DependencyLedger la = DependencyLedger.ofObservations(a).reportedBy(
                a.stream().map(Observation::caller).toList(), EvidenceSource.PROMETHEUS, T0.plusSeconds(a.size()));
        DependencyLedger lb = DependencyLedger.ofObservations(b);
        DependencyLedger lc = DependencyLedger.ofObservations(c);
        assertThat(la.merge(la)).isEqualTo(la);
        assertThat(la.merge(lb)).isEqualTo(lb.merge(la));
        assertThat(la.merge(lb).merge(lc)).isEqualTo(la.merge(lb.merge(lc)));
    }

    @Property(tries = 100)
    void splittingEvidenceBetweenReplicas_thenMerging_equalsOneReplicaSeeingAll(
            @ForAll("observations") List<Observation> observations, @ForAll long seed) {
        Random random = new Random(seed);
        List<Observation> first = new ArrayList<>();
        List<Observation> second = new ArrayList<>();
        for (Observation o : observations) {
            (random.nextBoolean() ? first : second).add(o);
        }
        assertThat(DependencyLedger.ofObservations(first).merge(DependencyLedger.ofObservations(second)))
                .isEqualTo(DependencyLedger.ofObservations(observations));
    }

    @Property(tries = 100)
    void boundedFields_stayBoundedWhateverIsMerged(@ForAll("observations") List<Observation> observations) {
        for (WorkloadLedger page : DependencyLedger.ofObservations(observations).pages()) {
            for (CallEvidence e : page.calls().values()) {
                assertThat(e.seenDays()).hasSizeLessThanOrEqualTo(CallEvidence.MAX_SEEN_DAYS);
                assertThat(e.countsByReporter()).hasSizeLessThanOrEqualTo(CallEvidence.MAX_REPORTERS);
                assertThat(e.firstSeen()).isBeforeOrEqualTo(e.lastSeen());
            }
        }
    }

    @Provide
    Arbitrary<List<Observation>> observations() {
        Arbitrary<WorkloadKey> callers = Arbitraries.of(new WorkloadKey("shop", "frontend"),
                new WorkloadKey("shop", "cart"), new WorkloadKey("bank", "frontend"));
        Arbitrary<Destination> destinations = Combinators.combine(
                Arbitraries.of("cart.shop.svc.cluster.local", "redis.shop.svc.cluster.local", "10.1.2.3",
                        "ledger.bank.svc.cluster.local"),
                Arbitraries.of(0, 80, 6379)).as(Destination::new);
        Arbitrary<String> reporters = Arbitraries.strings().withCharRange('a', 'z').ofLength(1)
                .map(s -> "replica-" + s);
        Arbitrary<Instant> times = Arbitraries.longs().between(0, 90L * 24 * 3600).map(T0::plusSeconds);
        Arbitrary<Observation> one = Combinators.combine(callers, destinations, Arbitraries.of(CallProtocol.class),
                        Arbitraries.of(EvidenceSource.class), reporters, times,
                        Arbitraries.longs().between(0, 5 * 24 * 3600), Arbitraries.longs().between(1, 1_000))
                .as((caller, destination, protocol, source, reporter, at, span, count) -> new Observation(caller,
                        destination, protocol, source, reporter, at, at.plus(Duration.ofSeconds(span)), count));
        return one.list().ofMaxSize(60);
    }
}
