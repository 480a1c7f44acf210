package dev.meshpilot.kube.ledger;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.LedgerStore;
import dev.meshpilot.core.ledger.WorkloadKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.meshpilot.kube.ledger.LedgerSamples.PRODUCTPAGE;
import static dev.meshpilot.kube.ledger.LedgerSamples.REVIEWS;
import static org.assertj.core.api.Assertions.assertThat;

class StateDirectoryLedgerStoreTest {

    private static final Clock AT_NOON = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private StateDirectoryLedgerStore store() {
        return new StateDirectoryLedgerStore(dir, AT_NOON);
    }

    private Path productpageFile() {
        return dir.resolve("ledger/bookinfo/productpage-v1.json");
    }

    @Test
    void emptyDirectory_loadsAnEmptyLedger() {
        assertThat(store().load().ledger().isEmpty()).isTrue();
        assertThat(new StateDirectoryLedgerStore(dir.resolve("not-yet")).load().problems()).isEmpty();
    }

    @Test
    void restart_aNewStoreOnTheSameDirectory_keepsTheLedger() {
        DependencyLedger saved = store().save(LedgerSamples.bookinfo());

        LedgerStore.Loaded loaded = new StateDirectoryLedgerStore(dir).load();

        assertThat(saved).isEqualTo(LedgerSamples.bookinfo());
        assertThat(loaded.ledger()).isEqualTo(LedgerSamples.bookinfo());
        assertThat(loaded.problems()).isEmpty();
        assertThat(productpageFile()).isRegularFile();
        assertThat(dir.resolve("ledger/bookinfo/reviews-v2.json")).isRegularFile();
    }

    @Test
    void save_mergesIntoWhatIsStored_andReturnsTheJoin() {
        store().save(LedgerSamples.bookinfo());
        DependencyLedger more = LedgerSamples.productpageCalls("api.example.com", "access-log meshpilot-1");

        DependencyLedger joined = store().save(more);

        assertThat(joined).isEqualTo(LedgerSamples.bookinfo().merge(more));
        assertThat(store().load().ledger()).isEqualTo(joined);
    }

    @Test
    void savingWhatIsAlreadyStored_writesNothing() throws Exception {
        store().save(LedgerSamples.bookinfo());
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(productpageFile(), old);

        store().save(LedgerSamples.bookinfo());

        assertThat(Files.getLastModifiedTime(productpageFile())).isEqualTo(old);
    }

    @Test
    void corruptFile_isSetAsideAndReported_andTheRestLoads() throws Exception {
        store().save(LedgerSamples.bookinfo());
        Files.writeString(productpageFile(), "{\"formatVersion\": 1, \"workload\": {\"namespace\": \"bookinfo\",,");

        LedgerStore.Loaded loaded = store().load();

        assertThat(loaded.problems()).singleElement().asString()
                .startsWith(productpageFile() + ": line 1, column ")
                .endsWith("; set aside as productpage-v1.json.corrupt-20261206T120000.000Z");
        assertThat(loaded.ledger().page(REVIEWS)).isPresent();
        assertThat(loaded.ledger().page(PRODUCTPAGE)).isEmpty();
        assertThat(productpageFile()).doesNotExist();
        assertThat(dir.resolve("ledger/bookinfo/productpage-v1.json.corrupt-20261206T120000.000Z"))
                .hasContent("{\"formatVersion\": 1, \"workload\": {\"namespace\": \"bookinfo\",,");
        assertThat(store().load().problems()).as("reported once").isEmpty();
    }

    @Test
    void fileTruncatedToZeroBytes_isSetAsideAndReported() throws Exception {
        store().save(LedgerSamples.bookinfo());
        Files.write(productpageFile(), new byte[0]);

        LedgerStore.Loaded loaded = store().load();

        assertThat(loaded.problems()).containsExactly(productpageFile()
                + ": empty (0 bytes), not a ledger page; set aside as productpage-v1.json.corrupt-20261206T120000.000Z");
        assertThat(loaded.ledger().workloadCount()).isEqualTo(1);
    }

    @Test
    void pageOfANewerFormat_isSetAsideNotOverwritten_andTheWorkloadIsWrittenAfresh() throws Exception {
        Files.createDirectories(productpageFile().getParent());
        String future = "{\"formatVersion\": 7, \"workload\": {\"namespace\": \"bookinfo\", \"name\": \"productpage-v1\"}}";
        Files.writeString(productpageFile(), future);

        StateDirectoryLedgerStore store = store();
        store.save(LedgerSamples.bookinfo());

        assertThat(dir.resolve("ledger/bookinfo/productpage-v1.json.corrupt-20261206T120000.000Z")).hasContent(future);
        LedgerStore.Loaded loaded = store.load();
        assertThat(loaded.ledger()).isEqualTo(LedgerSamples.bookinfo());
        assertThat(loaded.problems()).as("what the save set aside is reported by the next load").containsExactly(
                productpageFile() + ": formatVersion: format 7 is not one this meshpilot reads (it reads 1 to 1); a newer"
                        + " meshpilot wrote it?; set aside as productpage-v1.json.corrupt-20261206T120000.000Z");
        assertThat(store.load().problems()).isEmpty();
    }

    @Test
    void temporaryFileLeftByACrashMidWrite_isIgnored() throws Exception {
        store().save(LedgerSamples.bookinfo());
        Files.writeString(dir.resolve("ledger/bookinfo/.productpage-v1.json.84712.tmp"), "{\"formatVersion\": 1, \"wor");

        LedgerStore.Loaded loaded = store().load();

        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.ledger()).isEqualTo(LedgerSamples.bookinfo());
    }

    @Test
    void writes_leaveNoTemporaryFiles() throws Exception {
        store().save(LedgerSamples.bookinfo());
        store().save(LedgerSamples.productpageCalls("api.example.com", "r"));

        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void workloadNameUnsafeForAFileSystem_getsASafeFileAndRoundTrips() {
        WorkloadKey odd = new WorkloadKey("bookinfo", "../Etc/Passwd");
        DependencyLedger ledger = DependencyLedger.ofObservations(List.of(
                LedgerSamples.call(odd, "x.example", 80, "r", LedgerSamples.T0, 1)));

        store().save(ledger);

        assertThat(store().fileOf(odd).getParent()).isEqualTo(dir.resolve("ledger/bookinfo"));
        assertThat(store().fileOf(odd).getFileName().toString()).matches("_\\._etc_passwd_[0-9a-f]{8}\\.json");
        assertThat(store().load().ledger()).isEqualTo(ledger);
    }

    @Test
    void concurrentSavesFromTwoStoresOnOneDirectory_loseNothing() throws Exception {
        StateDirectoryLedgerStore first = new StateDirectoryLedgerStore(dir);
        StateDirectoryLedgerStore second = new StateDirectoryLedgerStore(dir);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        DependencyLedger expected = DependencyLedger.empty();
        List<Future<DependencyLedger>> saves = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                DependencyLedger a = LedgerSamples.productpageCalls("a-" + i + ".example", "replica-a");
                DependencyLedger b = LedgerSamples.productpageCalls("b-" + i + ".example", "replica-b");
                expected = expected.merge(a).merge(b);
                saves.add(pool.submit(() -> first.save(a)));
                saves.add(pool.submit(() -> second.save(b)));
            }
            for (Future<DependencyLedger> save : saves) {
                save.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(new StateDirectoryLedgerStore(dir).load().ledger()).isEqualTo(expected);
        assertThat(expected.edgeCount()).isEqualTo(80);
    }
}
