package dev.meshpilot.kube.directory;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.core.registry.SnapshotUpdate;
import dev.meshpilot.kube.convert.ConversionProblem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.meshpilot.kube.testing.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DirectoryWatcherTest {

    @TempDir
    Path dir;

    private final RegistryStore store = new RegistryStore(MeshConfig.DEFAULT);
    private final List<SnapshotUpdate> updates = new CopyOnWriteArrayList<>();
    private DirectoryWatcher watcher;

    private static String service(String name, int port) {
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: shop}
                spec:
                  ports: [{name: http, port: %d}]
                """.formatted(name, port);
    }

    private LoadResult start() {
        store.subscribe(updates::add);
        watcher = new DirectoryWatcher(new ManifestDirectory(dir), store, Duration.ofMillis(50), r -> { });
        return watcher.start();
    }

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private List<String> serviceNames() {
        return store.current().services().stream().map(MeshService::name).sorted().toList();
    }

    private int portOf(String name) {
        return store.current().servicesNamed(name + ".shop.svc.cluster.local").get(0).ports().get(0).port();
    }

    @Test
    void start_loadsTheDirectoryIntoTheStoreAsOneSnapshot() {
        write(dir, "a.yaml", service("a", 80));
        write(dir, "b.yaml", service("b", 80));

        LoadResult initial = start();

        assertThat(initial.objectsByFile()).containsOnlyKeys("a.yaml", "b.yaml");
        assertThat(serviceNames()).containsExactly("a", "b");
        assertThat(updates).hasSize(1);
        assertThat(store.sourceKeys()).containsExactly("a.yaml", "b.yaml");
    }

    @Test
    void addedFile_isApplied() {
        start();

        write(dir, "new.yaml", service("fresh", 80));

        await().atMost(Duration.ofSeconds(15)).until(() -> serviceNames().contains("fresh"));
    }

    @Test
    void changedFile_replacesItsObjects() {
        write(dir, "a.yaml", service("a", 80) + "---\n" + service("gone", 80));
        start();

        write(dir, "a.yaml", service("a", 81));

        await().atMost(Duration.ofSeconds(15)).until(() -> serviceNames().equals(List.of("a")) && portOf("a") == 81);
    }

    @Test
    void deletedFile_takesItsObjectsAway() throws IOException {
        write(dir, "a.yaml", service("a", 80));
        write(dir, "b.yaml", service("b", 80));
        start();

        Files.delete(dir.resolve("a.yaml"));

        await().atMost(Duration.ofSeconds(15)).until(() -> serviceNames().equals(List.of("b")));
        assertThat(updates.get(updates.size() - 1).changes().keys()).extracting(k -> k.name())
                .containsExactly("a.shop.svc.cluster.local");
    }

    @Test
    void fileInANewSubdirectory_isPickedUp() {
        start();

        write(dir, "team/deep/c.yml", service("c", 80));

        await().atMost(Duration.ofSeconds(15)).until(() -> serviceNames().contains("c"));
    }

    @Test
    void entirelyUnparsableFile_keepsItsLastGoodObjects_untilItIsFixed() {
        List<LoadResult> reloads = new CopyOnWriteArrayList<>();
        write(dir, "a.yaml", service("a", 80));
        write(dir, "b.yaml", service("b", 80));
        store.subscribe(updates::add);
        watcher = new DirectoryWatcher(new ManifestDirectory(dir), store, Duration.ofMillis(50), reloads::add);
        watcher.start();

        write(dir, "a.yaml", "apiVersion: v1\nkind: [unclosed\n");
        await().atMost(Duration.ofSeconds(15)).until(() -> !watcher.current().errors().isEmpty());
        assertThat(serviceNames()).containsExactly("a", "b");
        // held for the settle window first (a write in progress?), then applied as it is: still nothing readable
        await().atMost(Duration.ofSeconds(15)).until(() -> watcher.current().warnings().stream()
                .anyMatch(w -> w.message().startsWith("no document could be read")));

        assertThat(serviceNames()).containsExactly("a", "b");
        assertThat(watcher.current().problems()).extracting(ConversionProblem::toString).anySatisfy(
                m -> assertThat(m).startsWith("a.yaml:2: document 1: malformed YAML"))
                .anySatisfy(m -> assertThat(m).isEqualTo(
                        "warning: a.yaml: no document could be read; keeping the file's last good objects (1)"));

        write(dir, "a.yaml", service("a", 82));
        await().atMost(Duration.ofSeconds(15)).until(() -> portOf("a") == 82);
        assertThat(watcher.current().problems()).isEmpty();
    }

    @Test
    void objectThatBecomesInvalid_keepsItsLastGoodVersion_whileItsNeighboursUpdate() {
        write(dir, "a.yaml", service("a", 80) + "---\n" + service("b", 80));
        start();

        write(dir, "a.yaml", service("a", 81) + "---\n" + service("b", 80).replace("port: 80", "port: \"x\""));

        await().atMost(Duration.ofSeconds(15)).until(() -> portOf("a") == 81);
        assertThat(portOf("b")).isEqualTo(80);
        assertThat(watcher.current().problems()).extracting(ConversionProblem::toString).containsExactly(
                "a.yaml:7: document 2: Service shop/b: spec.ports[0].port: must be an integer, got string \"x\"",
                "warning: a.yaml:7: document 2: Service shop/b: invalid now; keeping its last good version");
    }

    @Test
    void duplicateInANewFile_doesNotDisplaceTheServedCopy_thoughItsPathSortsFirst() {
        write(dir, "b.yaml", service("same", 82));
        start();
        assertThat(portOf("same")).isEqualTo(82);

        write(dir, "a.yaml", service("same", 81));

        await().atMost(Duration.ofSeconds(15)).until(() -> !watcher.current().errors().isEmpty());
        assertThat(portOf("same")).isEqualTo(82);
        assertThat(watcher.current().errors()).singleElement().extracting(ConversionProblem::message).asString()
                .isEqualTo("duplicate object: also defined in b.yaml document 1, which is kept (equal "
                        + "creationTimestamp; already served); this copy in a.yaml document 1 is ignored");
    }

    @Test
    void nonManifestAndHiddenFiles_areIgnored() {
        write(dir, "README.md", "not yaml: [");
        write(dir, ".hidden.yaml", service("hidden", 80));
        write(dir, ".git/x.yaml", service("git", 80));
        write(dir, "visible.yaml", service("visible", 80));

        start();

        assertThat(serviceNames()).containsExactly("visible");
    }

    @Test
    void rescanWithoutChanges_publishesNothing() {
        write(dir, "a.yaml", service("a", 80));
        start();

        watcher.rescan();
        watcher.rescan();

        assertThat(updates).hasSize(1);
    }

    @Test
    void vanishedDirectory_keepsTheMeshAndSaysSo() throws IOException {
        write(dir, "a.yaml", service("a", 80));
        start();

        // One atomic rename: deleting the file first would let a scan in between see an empty directory.
        Path gone = dir.resolveSibling(dir.getFileName() + "-gone");
        Files.move(dir, gone);
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> !watcher.current().errors().isEmpty());
            assertThat(serviceNames()).containsExactly("a");
            assertThat(watcher.current().errors()).singleElement().extracting(ConversionProblem::message)
                    .isEqualTo("registry directory does not exist; keeping the last good mesh (1 object(s) from 1 "
                            + "file(s)) until the directory can be listed again");
        } finally {
            Files.move(gone, dir); // hand the temporary directory back for JUnit to delete
        }
    }

    @Test
    void meshLoaderWatch_servesTheDirectoryThroughAStore() {
        write(dir, "a.yaml", service("a", 80));

        try (WatchedMesh mesh = MeshLoader.watch(dir, dev.meshpilot.kube.convert.ConverterOptions.DEFAULT,
                Duration.ofMillis(50), r -> { })) {
            assertThat(mesh.initial().problems()).isEmpty();
            assertThat(mesh.store().current().services()).hasSize(1);

            write(dir, "b.yaml", service("b", 80));

            await().atMost(Duration.ofSeconds(15)).until(() -> mesh.store().current().services().size() == 2);
        }
    }
}
