package dev.meshpilot.server.learn;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceException;
import dev.meshpilot.core.ledger.EvidenceReader;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.server.metrics.LearningMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LedgerKeeperTest {
    private static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final WorkloadKey A = new WorkloadKey("default", "a");
    private static final WorkloadKey B = new WorkloadKey("default", "b");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final InMemoryLedgerStore store = new InMemoryLedgerStore();
    private final List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger keeperLog = Logger.getLogger(LedgerKeeper.class.getName());
    private LedgerKeeper keeper;

    LedgerKeeperTest() {
        keeperLog.addHandler(capture);
    }

    @AfterEach
    void stop() {
        if (keeper != null) {
            keeper.close();
        }
        scheduler.shutdownNow();
        keeperLog.removeHandler(capture);
    }

    private static Observation call(WorkloadKey caller, String host, long count) {
        return Observation.at(caller, new Destination(host, 80), CallProtocol.HTTP, EvidenceSource.ACCESS_LOG,
                "access-log test", NOW, count);
    }

    private LedgerKeeper keeper(LearningOptions options) {
        keeper = new LedgerKeeper(options, scheduler, CLOCK, new LearningMetrics(meters));
        return keeper;
    }

    private LearningOptions withStore() {
        return LearningOptions.inMemory().withStore(store).withIntervals(Duration.ofSeconds(1), Duration.ofHours(1));
    }

    private double errors(String source) {
        Counter c = meters.find("meshpilot_learning_source_errors").tag("source", source).counter();
        return c == null ? 0 : c.count();
    }

    private static EvidenceReader reader(String name, java.util.function.Supplier<DependencyLedger> read) {
        return new EvidenceReader() {
            @Override
            public DependencyLedger read(Instant now) {
                return read.get();
            }

            @Override
            public String describe() {
                return name;
            }
        };
    }

    @Test
    void start_loadsTheStoredLedger() {
        DependencyLedger stored = DependencyLedger.ofObservations(List.of(call(A, "x", 4)));
        store.put(stored, List.of());
        keeper(withStore()).start();

        assertThat(keeper.ledger()).isEqualTo(stored);
    }

    @Test
    void storedPagesThatCouldNotBeRead_areLoggedOneLineEach_andTheRestIsLoaded() {
        DependencyLedger stored = DependencyLedger.ofObservations(List.of(call(A, "x", 4)));
        store.put(stored, List.of("page default/b: unreadable", "page default/c: unreadable"));
        keeper(withStore()).start();

        assertThat(keeper.ledger()).isEqualTo(stored);
        assertThat(logged).filteredOn(r -> r.getMessage().contains("unreadable")).hasSize(2)
                .allSatisfy(r -> assertThat(r.getMessage()).doesNotContain("\n"));
    }

    @Test
    void loadThatFails_startsFromMemory_andTheNextSaveMergesTheStoredLedgerBackIn() {
        store.put(DependencyLedger.ofObservations(List.of(call(A, "x", 4))), List.of());
        store.failNextLoads(1);
        keeper(withStore()).start();
        assertThat(keeper.ledger().isEmpty()).isTrue();
        assertThat(errors(LedgerKeeper.STORE_SOURCE)).isEqualTo(1);

        keeper.accept(List.of(call(B, "y", 1)));
        keeper.persist();

        assertThat(keeper.ledger().page(A)).isPresent();
        assertThat(keeper.ledger().page(B)).isPresent();
    }

    @Test
    void failingReader_isLoggedInOneLineAndCounted_andTheLedgerKeepsWhatItHad() {
        DependencyLedger first = DependencyLedger.ofObservations(List.of(call(A, "x", 1)));
        AtomicInteger reads = new AtomicInteger();
        EvidenceReader flaky = reader("prometheus http://127.0.0.1:9", () -> {
            if (reads.incrementAndGet() > 1) {
                throw new EvidenceException("connection refused\nsecond line");
            }
            return first;
        });
        keeper(LearningOptions.inMemory()).start();

        keeper.poll(flaky);
        keeper.poll(flaky);

        assertThat(keeper.ledger()).isEqualTo(first);
        assertThat(errors("prometheus http://127.0.0.1:9")).isEqualTo(1);
        assertThat(logged).filteredOn(r -> r.getMessage().contains("prometheus http://127.0.0.1:9")).singleElement()
                .satisfies(r -> assertThat(r.getMessage()).contains("connection refused").doesNotContain("\n"));
    }

    @Test
    void readersArePolledEveryInterval_andOneThatKeepsFailingDoesNotStopTheOthers() {
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger goodReads = new AtomicInteger();
        EvidenceReader broken = reader("broken", () -> {
            failures.incrementAndGet();
            throw new EvidenceException("down");
        });
        EvidenceReader good = reader("good", () -> DependencyLedger.ofObservations(
                List.of(call(A, "polled-" + goodReads.incrementAndGet(), 1))));
        keeper(LearningOptions.inMemory().withReaders(List.of(broken, good), Duration.ofMillis(20))).start();

        await().atMost(Duration.ofSeconds(10)).until(() -> failures.get() >= 3 && goodReads.get() >= 3);
        assertThat(keeper.ledger().page(A).orElseThrow().calls()).containsKey(new Destination("polled-3", 80));
    }

    @Test
    void failedSave_keepsTheLedgerInMemory_andIsRetriedNextPeriod() {
        keeper(withStore()).start();
        keeper.accept(List.of(call(A, "x", 1)));
        store.failNextSaves(1);

        keeper.persist();
        assertThat(store.stored().isEmpty()).isTrue();
        assertThat(keeper.ledger().page(A)).isPresent();
        assertThat(errors(LedgerKeeper.STORE_SOURCE)).isEqualTo(1);

        keeper.persist();
        assertThat(store.stored()).isEqualTo(keeper.ledger());
    }

    @Test
    void persistingAnUnchangedLedger_doesNotWriteTheStoreAgain() {
        keeper(withStore()).start();
        keeper.accept(List.of(call(A, "x", 1)));
        keeper.persist();
        keeper.persist();

        assertThat(store.saves()).isEqualTo(1);
    }

    @Test
    void savesHappenEveryPersistInterval() {
        keeper(LearningOptions.inMemory().withStore(store).withIntervals(Duration.ofSeconds(1), Duration.ofMillis(20)))
                .start();
        keeper.accept(List.of(call(A, "x", 1)));

        await().atMost(Duration.ofSeconds(10)).until(() -> store.stored().page(A).isPresent());
    }

    @Test
    void evidenceArrivingWhileASaveRuns_isSavedByTheNextSave_notTakenForSaved() {
        // The store's first save lets a batch arrive mid-save, as an access-log flush on another thread can.
        AtomicInteger saves = new AtomicInteger();
        dev.meshpilot.core.ledger.LedgerStore slowStore = new dev.meshpilot.core.ledger.LedgerStore() {
            @Override
            public Loaded load() {
                return store.load();
            }

            @Override
            public DependencyLedger save(DependencyLedger ledger) {
                if (saves.getAndIncrement() == 0) {
                    keeper.accept(List.of(call(B, "y", 1)));
                }
                return store.save(ledger);
            }

            @Override
            public String describe() {
                return "memory, slow (test)";
            }
        };
        keeper(LearningOptions.inMemory().withStore(slowStore).withIntervals(Duration.ofSeconds(1),
                Duration.ofHours(1))).start();
        keeper.accept(List.of(call(A, "x", 1)));
        keeper.persist();
        assertThat(store.stored().page(B)).as("B arrived after the first save's snapshot").isEmpty();

        keeper.close();

        assertThat(store.stored().page(A)).isPresent();
        assertThat(store.stored().page(B)).as("B saved on close").isPresent();
    }

    @Test
    void close_savesWhatWasLearnedSinceTheLastSave() {
        keeper(withStore()).start();
        keeper.accept(List.of(call(A, "x", 1)));
        keeper.close();

        assertThat(store.stored().page(A)).isPresent();
    }

    @Test
    void listener_hearsWhichWorkloadsGainedADestination_butNotRepeatsOfKnownOnes() {
        keeper(LearningOptions.inMemory()).start();
        List<Set<WorkloadKey>> heard = Collections.synchronizedList(new ArrayList<>());
        keeper.addListener((workloads, ledger) -> heard.add(workloads));

        keeper.accept(List.of(call(A, "x", 1), call(B, "y", 1)));
        keeper.accept(List.of(call(A, "x", 5)));
        keeper.accept(List.of(call(A, "x", 6), call(B, "z", 1)));

        assertThat(heard).containsExactly(Set.of(A, B), Set.of(B));
    }

    @Test
    void withoutAStore_theLedgerLivesInMemory_andPersistingDoesNothing() {
        keeper(LearningOptions.inMemory()).start();
        keeper.accept(List.of(call(A, "x", 1)));
        keeper.persist();

        assertThat(keeper.describeStore()).contains("memory");
        assertThat(keeper.ledger().page(A).map(p -> p.calls().size())).isEqualTo(Optional.of(1));
    }

    @Test
    void observations_areCountedBySource() {
        keeper(LearningOptions.inMemory()).start();
        keeper.accept(List.of(call(A, "x", 1), call(B, "y", 1)));

        assertThat(meters.find("meshpilot_learning_observations").tag("source", "access-log").counter().count())
                .isEqualTo(2);
        assertThat(meters.find("meshpilot_learning_edges").gauge().value()).isEqualTo(2);
    }

    @Test
    void whatAnotherReplicaSaves_isMergedOnThePollTick_andListenersHearWhichWorkloadsGained() {
        keeper(LearningOptions.inMemory().withStore(store).withReaders(List.of(), Duration.ofMillis(20))
                .withIntervals(Duration.ofSeconds(1), Duration.ofHours(1))).start();
        List<Set<WorkloadKey>> heard = Collections.synchronizedList(new ArrayList<>());
        keeper.addListener((workloads, ledger) -> heard.add(workloads));
        keeper.accept(List.of(call(A, "x", 1)));
        heard.clear();

        // Another replica saves to the shared store: a new destination of B and one more of A.
        store.put(DependencyLedger.ofObservations(List.of(call(B, "y", 2), call(A, "z", 3))), List.of());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(keeper.ledger().page(B).orElseThrow().calls()).containsKey(new Destination("y", 80));
            assertThat(keeper.ledger().page(A).orElseThrow().calls()).containsKeys(new Destination("x", 80),
                    new Destination("z", 80));
        });
        assertThat(heard).containsExactly(Set.of(A, B));
    }

    @Test
    void reReadingAStoreThatHoldsNothingNew_changesNothing_andSavesNothing() {
        keeper(withStore()).start();
        List<Set<WorkloadKey>> heard = Collections.synchronizedList(new ArrayList<>());
        keeper.addListener((workloads, ledger) -> heard.add(workloads));
        keeper.accept(List.of(call(A, "x", 1)));
        keeper.persist();
        DependencyLedger before = keeper.ledger();

        keeper.refreshFromStore();
        keeper.refreshFromStore();
        keeper.persist();

        assertThat(keeper.ledger()).isSameAs(before);
        assertThat(heard).containsExactly(Set.of(A));
        assertThat(store.saves()).isEqualTo(1);
    }

    @Test
    void reReadThatFails_isLoggedInOneLineAndCounted_andTheLedgerKeepsWhatItHad() {
        keeper(withStore()).start();
        keeper.accept(List.of(call(A, "x", 1)));
        DependencyLedger before = keeper.ledger();
        store.failNextLoads(1);

        keeper.refreshFromStore();

        assertThat(keeper.ledger()).isSameAs(before);
        assertThat(errors(LedgerKeeper.STORE_SOURCE)).isEqualTo(1);
        assertThat(logged).filteredOn(r -> r.getMessage().contains("re-reading the ledger")).singleElement()
                .satisfies(r -> assertThat(r.getMessage()).contains("store unreachable").doesNotContain("\n"));

        store.put(DependencyLedger.ofObservations(List.of(call(B, "y", 1))), List.of());
        keeper.refreshFromStore();
        assertThat(keeper.ledger().page(A)).isPresent();
        assertThat(keeper.ledger().page(B)).isPresent();
    }

    @Test
    void aStoredPageThatCannotBeRead_isLoggedOnce_notOnEveryReRead() {
        store.put(DependencyLedger.empty(), List.of("page default/b: unreadable"));
        keeper(withStore()).start();
        keeper.refreshFromStore();
        keeper.refreshFromStore();

        assertThat(logged).filteredOn(r -> r.getMessage().contains("unreadable")).hasSize(1);
    }
}
