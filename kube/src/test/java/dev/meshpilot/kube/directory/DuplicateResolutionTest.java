package dev.meshpilot.kube.directory;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.KubeObjectConverter;
import dev.meshpilot.kube.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static dev.meshpilot.kube.testing.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Duplicates are settled by creation time (oldest wins), then by which copy is served, never by file path alone. */
class DuplicateResolutionTest {
    @TempDir
    Path dir;

    private final RegistryStore store = new RegistryStore(MeshConfig.DEFAULT);

    private static String service(int port, String created) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: same
                  namespace: shop
                %s
                spec:
                  ports: [{name: http, port: %d}]
                """.formatted(created.isEmpty() ? "" : "  creationTimestamp: \"" + created + "\"", port);
    }

    private DirectoryWatcher watcher() {
        return new DirectoryWatcher(new ManifestDirectory(dir, new KubeObjectConverter(), ParseLimits.DEFAULT), store,
                WatchSettings.DEFAULT, new ManualClock(Instant.EPOCH), Runnable::run, r -> { });
    }

    private int port() {
        return store.current().servicesNamed("same.shop.svc.cluster.local").get(0).ports().get(0).port();
    }

    @Test
    void olderCreationTimestamp_wins_evenFromAFileThatSortsLast() {
        write(dir, "a.yaml", service(81, "2024-05-01T00:00:00Z"));
        write(dir, "z.yaml", service(82, "2023-01-01T00:00:00Z"));

        LoadResult result = watcher().rescan();

        assertThat(port()).isEqualTo(82);
        assertThat(result.errors()).singleElement().hasToString("a.yaml:1: document 1: Service shop/same: "
                + "metadata.name: duplicate object: also defined in z.yaml document 1, which is kept (older "
                + "creationTimestamp 2023-01-01T00:00:00Z); this copy in a.yaml document 1 is ignored");
    }

    @Test
    void newFileWithAnOlderCopy_takesOver_andAYoungerCopy_doesNot() {
        write(dir, "m.yaml", service(80, "2024-01-01T00:00:00Z"));
        DirectoryWatcher watcher = watcher();
        watcher.rescan();

        write(dir, "a-younger.yaml", service(81, "2025-01-01T00:00:00Z"));
        watcher.rescan();
        assertThat(port()).isEqualTo(80);

        write(dir, "z-older.yaml", service(82, "2020-01-01T00:00:00Z"));
        watcher.rescan();
        assertThat(port()).isEqualTo(82);
        assertThat(watcher.current().errors()).extracting(ConversionProblem::file)
                .containsExactlyInAnyOrder("a-younger.yaml", "m.yaml");
    }

    @Test
    void withoutTimestamps_theServedCopyStays_whateverThePathOrderOfTheNewFile() {
        write(dir, "m.yaml", service(80, ""));
        DirectoryWatcher watcher = watcher();
        watcher.rescan();

        write(dir, "a.yaml", service(81, ""));
        watcher.rescan();

        assertThat(port()).isEqualTo(80);
        assertThat(watcher.current().errors()).singleElement().extracting(ConversionProblem::message).asString()
                .isEqualTo("duplicate object: also defined in m.yaml document 1, which is kept (equal "
                        + "creationTimestamp; already served); this copy in a.yaml document 1 is ignored");
    }

    @Test
    void twiceInOneFile_theOlderCopyWins() {
        write(dir, "m.yaml", service(80, "2024-01-01T00:00:00Z") + "---\n" + service(81, "2023-01-01T00:00:00Z"));

        watcher().rescan();

        assertThat(port()).isEqualTo(81);
    }
}
