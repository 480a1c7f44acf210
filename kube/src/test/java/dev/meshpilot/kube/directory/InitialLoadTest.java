package dev.meshpilot.kube.directory;

import static dev.meshpilot.kube.testing.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.convert.KubeObjectConverter;
import dev.meshpilot.kube.testing.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The initial load is what the server serves first and reports ready on: it holds every file of the directory even
 * when there are more files than the parse pool can queue (a 10k-service registry has ~1,500 files against a queue
 * of 256; files beyond it used to arrive in later scans, so proxies connecting at once got part of the mesh, e.g.
 * without the root Sidecar).
 */
class InitialLoadTest {

    @TempDir
    Path dir;

    @Test
    void moreFilesThanTheParseQueueHolds_allArriveInTheInitialLoad() throws Exception {
        int files = 120;
        for (int i = 0; i < files; i++) {
            write(dir, "svc-" + i + ".yaml", """
                    apiVersion: v1
                    kind: Service
                    metadata: {name: svc-%d, namespace: shop}
                    spec:
                      ports: [{name: http, port: 80}]
                    """.formatted(i));
        }
        RegistryStore store = new RegistryStore(MeshConfig.DEFAULT);
        // one parse thread and a queue of one: nearly every submission is refused
        ThreadPoolExecutor tiny = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
        DirectoryWatcher watcher = new DirectoryWatcher(new ManifestDirectory(dir, new KubeObjectConverter(),
                ParseLimits.DEFAULT), store, WatchSettings.DEFAULT, new ManualClock(Instant.EPOCH), tiny, r -> { });
        try {
            LoadResult initial = watcher.start();
            assertThat(initial.objectsByFile()).hasSize(files);
            assertThat(store.current().services()).hasSize(files);
        } finally {
            watcher.close();
            tiny.shutdownNow();
        }
    }
}
