package dev.meshpilot.kube.directory;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.KubeObjectConverter;
import dev.meshpilot.kube.testing.ManualClock;
import dev.meshpilot.kube.testing.RepoPaths;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The abuse cases of issue 12 against a real watcher on real files (a copy of examples/shared-cluster, 252
 * Services): each bad read keeps the last good mesh (the store's snapshot is not even republished) and says where
 * the problem is. Time is a manual clock and parsing runs on the calling thread, so the settle window is exact.
 */
class LastGoodMeshTest {
    private static final Duration SETTLE = WatchSettings.DEFAULT.settleWindow();

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicBoolean listingFails = new AtomicBoolean();
    private final RegistryStore store = new RegistryStore(dev.meshpilot.core.model.MeshConfig.DEFAULT);
    private DirectoryWatcher watcher;
    private MeshSnapshot lastGood;
    private int services;

    @BeforeEach
    void loadSharedCluster() throws IOException {
        try (Stream<Path> files = Files.list(RepoPaths.example("shared-cluster"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        ManifestDirectory directory = new ManifestDirectory(dir, new KubeObjectConverter(), ParseLimits.DEFAULT,
                root -> {
                    if (listingFails.get()) {
                        // what the JDK throws when the process is out of file descriptors (EMFILE)
                        throw new FileSystemException(root.toString(), null, "Too many open files");
                    }
                    return Files.walk(root);
                });
        watcher = new DirectoryWatcher(directory, store, WatchSettings.DEFAULT, clock, Runnable::run, r -> { });
        LoadResult initial = watcher.rescan();
        assertThat(initial.errors()).isEmpty();
        lastGood = store.current();
        services = lastGood.services().size();
        assertThat(services).isEqualTo(252);
    }

    private LoadResult scanAfter(Duration elapsed) {
        clock.advance(elapsed);
        return watcher.rescan();
    }

    private void assertLastGoodMeshKept(String testCase) {
        assertThat(store.current()).as("snapshot unchanged").isSameAs(lastGood);
        System.out.printf("%s: %d -> %d services kept%n", testCase, services, store.current().services().size());
    }

    private List<String> messages() {
        return watcher.current().problems().stream().map(ConversionProblem::toString).toList();
    }

    private static void overwriteInPlace(Path file, byte[] content) throws IOException {
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(content);
        }
    }

    @Test
    void fileTruncatedToZeroBytes_keepsItsObjects_untilUnchangedForTheSettleWindow_thenItsObjectsAreDeleted()
            throws IOException {
        overwriteInPlace(dir.resolve("services.yaml"), new byte[0]);

        watcher.rescan();
        scanAfter(SETTLE.minusMillis(100));

        assertLastGoodMeshKept("truncate to 0 bytes, before the settle window");
        assertThat(messages()).containsExactly("warning: services.yaml: file is empty (a write in progress?); "
                + "serving its last good objects (252) until it is unchanged for 2000 ms");

        scanAfter(Duration.ofMillis(100));

        assertThat(store.current().services()).isEmpty();
        assertThat(messages()).isEmpty();
    }

    @Test
    void halfWrittenFile_keepsItsObjects_andTheFinishedWriteAppliesAtOnce() throws IOException {
        Path file = dir.resolve("services.yaml");
        String full = Files.readString(file);
        overwriteInPlace(file, full.substring(0, full.length() / 2).getBytes(StandardCharsets.UTF_8));

        watcher.rescan();

        assertLastGoodMeshKept("half-written file");
        assertThat(messages()).anySatisfy(m -> assertThat(m).startsWith("warning: services.yaml: file lost ")
                .endsWith("(a write in progress?); serving its last good objects (252) until it is unchanged for "
                        + "2000 ms"));

        overwriteInPlace(file, full.replace("port: 15014", "port: 15020").getBytes(StandardCharsets.UTF_8));
        watcher.rescan();

        assertThat(store.current().servicesNamed("istiod.istio-system.svc.cluster.local").get(0).ports())
                .extracting(p -> p.port()).contains(15020);
        assertThat(store.current().services()).hasSize(services);
        assertThat(messages()).isEmpty();
    }

    @Test
    void garbageWrittenInPlace_keepsAllTheFilesObjects_evenAfterTheSettleWindow() throws IOException {
        overwriteInPlace(dir.resolve("services.yaml"), "\u0001\u0002 {{{ ]]] : : not: [yaml".getBytes(
                StandardCharsets.UTF_8));

        watcher.rescan();
        scanAfter(SETTLE.plusSeconds(1));

        assertLastGoodMeshKept("in-place garbage");
        assertThat(messages()).anySatisfy(m -> assertThat(m).startsWith("services.yaml:1: document 1: malformed YAML"))
                .contains("warning: services.yaml: no document could be read; keeping the file's last good objects "
                        + "(252)");
    }

    @Test
    void fileReplacedByASymlinkLoop_keepsItsObjects_whileTheLinkIsBroken() throws IOException {
        Path file = dir.resolve("services.yaml");
        Files.delete(file);
        Files.createSymbolicLink(file, Path.of(".loop"));
        Files.createSymbolicLink(dir.resolve(".loop"), Path.of("services.yaml"));

        watcher.rescan();
        scanAfter(SETTLE.multipliedBy(5));

        assertLastGoodMeshKept("symlink loop");
        assertThat(messages()).singleElement().asString().startsWith("services.yaml: symbolic link to .loop does not "
                + "resolve (").endsWith("; keeping the file's last good objects (252) while the link is broken");
        assertThat(watcher.health().healthy()).isTrue();
    }

    @Test
    void fileReplacedByADanglingSymlink_keepsItsObjects_untilTheLinkResolves() throws IOException {
        Path file = dir.resolve("services.yaml");
        Path saved = Files.move(file, dir.resolve(".services.saved"));
        Files.createSymbolicLink(file, Path.of("services-v2.yaml.tmp"));

        watcher.rescan();
        scanAfter(SETTLE.multipliedBy(5));

        assertLastGoodMeshKept("dangling symlink");
        assertThat(messages()).containsExactly("services.yaml: dangling symbolic link (its target "
                + "services-v2.yaml.tmp does not exist); keeping the file's last good objects (252) while the link "
                + "is broken");

        Files.move(saved, dir.resolve("services-v2.yaml.tmp"));
        scanAfter(Duration.ofMillis(200));

        assertThat(store.current().services()).hasSize(services);
        assertThat(messages()).isEmpty();
    }

    @Test
    void directoryRemovedWithRmRf_keepsTheWholeMesh_evenWhenAScanCatchesItHalfway() throws IOException {
        Files.delete(dir.resolve("workloads.yaml")); // rm -rf removes files one by one: a scan sees one gone
        watcher.rescan();
        deleteRecursively(dir);
        scanAfter(Duration.ofMillis(200));
        scanAfter(SETTLE.multipliedBy(5));

        assertLastGoodMeshKept("rm -rf of the directory");
        assertThat(watcher.health().healthy()).isFalse();
        assertThat(watcher.health().problem()).hasValue("registry directory does not exist; keeping the last good "
                + "mesh (521 object(s) from 3 file(s)) until the directory can be listed again");
        assertThat(messages()).singleElement().asString().startsWith(dir + ": registry directory does not exist");

        Files.createDirectories(dir);
        Files.copy(RepoPaths.example("shared-cluster").resolve("services.yaml"), dir.resolve("services.yaml"));
        watcher.rescan();
        scanAfter(Duration.ofMillis(200));

        assertThat(watcher.health().healthy()).isTrue();
        assertThat(store.current().services()).hasSize(services);
        assertThat(store.sourceKeys()).containsExactly("services.yaml");
    }

    @Test
    void directoryEmptiedInOneGo_keepsTheWholeMesh_untilItHoldsManifestsAgain() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.toList();
        }
        for (Path f : files) {
            Files.delete(f);
        }

        watcher.rescan();
        scanAfter(SETTLE.multipliedBy(5));

        assertLastGoodMeshKept("emptied directory");
        assertThat(watcher.health().problem()).get().asString()
                .startsWith("registry directory holds no manifest files (emptied or being replaced?)");
    }

    @Test
    void failedDirectoryListing_likeTooManyOpenFiles_keepsTheWholeMesh_andMarksTheSourceUnhealthy() {
        listingFails.set(true);

        watcher.rescan();
        scanAfter(SETTLE.multipliedBy(5));

        assertLastGoodMeshKept("failed listing (EMFILE)");
        assertThat(watcher.health().problem()).get().asString().isEqualTo("cannot list the registry directory: "
                + "Too many open files (" + dir + "); keeping the last good mesh (521 object(s) from 3 file(s)) until "
                + "the directory can be listed again");
        assertThat(watcher.health().lastSuccessfulScan()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));

        listingFails.set(false);
        scanAfter(Duration.ofMillis(200));

        assertThat(watcher.health().healthy()).isTrue();
        assertThat(watcher.health().lastSuccessfulScan()).isEqualTo(clock.instant());
        assertThat(messages()).isEmpty();
    }

    @Test
    void deletedFile_stillTakesItsObjectsAway_onceTwoListingsAgree() throws IOException {
        Files.delete(dir.resolve("services.yaml"));

        watcher.rescan();
        assertThat(store.current()).isSameAs(lastGood);
        scanAfter(Duration.ofMillis(200));

        assertThat(store.current().services()).isEmpty();
        assertThat(messages()).isEmpty();
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
