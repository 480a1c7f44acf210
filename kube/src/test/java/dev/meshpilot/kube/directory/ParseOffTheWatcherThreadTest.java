package dev.meshpilot.kube.directory;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.convert.KubeObjectConverter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.meshpilot.kube.testing.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Parsing runs on its own threads: while one file's parse is stuck (held here by a gate around the parse executor,
 * as a huge file would hold it), the running watcher keeps applying changes to the other files.
 */
class ParseOffTheWatcherThreadTest {
    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch gatedStarted = new CountDownLatch(1);
    private final AtomicBoolean gateNext = new AtomicBoolean();
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

    @AfterEach
    void stop() {
        release.countDown();
        if (watcher != null) {
            watcher.close();
        }
        threads.shutdownNow();
    }

    @Test
    void fileWhoseParseIsStuck_doesNotHoldBackChangesToOtherFiles() throws Exception {
        write(dir, "slow.yaml", service("slow", 80));
        write(dir, "fast.yaml", service("fast", 80));
        RegistryStore store = new RegistryStore(MeshConfig.DEFAULT);
        watcher = new DirectoryWatcher(new ManifestDirectory(dir, new KubeObjectConverter(), ParseLimits.DEFAULT),
                store, WatchSettings.DEFAULT.withPollInterval(Duration.ofMillis(50)), Clock.systemUTC(), task -> {
                    boolean gated = gateNext.getAndSet(false);
                    threads.execute(() -> {
                        if (gated) {
                            gatedStarted.countDown();
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        task.run();
                    });
                }, r -> { });
        watcher.start();

        gateNext.set(true);
        write(dir, "slow.yaml", service("slow", 81));
        assertThat(gatedStarted.await(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        write(dir, "fast.yaml", service("fast", 81));

        await().atMost(Duration.ofSeconds(15)).until(() -> port(store, "fast") == 81);
        assertThat(port(store, "slow")).as("still parsing").isEqualTo(80);

        release.countDown();
        await().atMost(Duration.ofSeconds(15)).until(() -> port(store, "slow") == 81);
    }

    private static int port(RegistryStore store, String name) {
        return store.current().servicesNamed(name + ".shop.svc.cluster.local").get(0).ports().get(0).port();
    }
}
