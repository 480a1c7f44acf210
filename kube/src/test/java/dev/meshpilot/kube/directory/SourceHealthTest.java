package dev.meshpilot.kube.directory;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.convert.KubeObjectConverter;
import dev.meshpilot.kube.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.meshpilot.kube.testing.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A watcher whose listing hangs (a stuck network file system) is reported as stalled, and recovers. */
class SourceHealthTest {
    @TempDir
    Path dir;

    @Test
    void watcherWhoseListingHangs_isStalledAfterTheStallBound_andHealthyOnceItListsAgain() throws Exception {
        write(dir, "a.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n");
        ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        AtomicBoolean hang = new AtomicBoolean();
        CountDownLatch hanging = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ManifestDirectory directory = new ManifestDirectory(dir, new KubeObjectConverter(), ParseLimits.DEFAULT,
                root -> {
                    if (hang.get()) {
                        hanging.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return Files.walk(root);
                });
        WatchSettings settings = WatchSettings.DEFAULT.withPollInterval(Duration.ofMillis(20));
        try (DirectoryWatcher watcher = new DirectoryWatcher(directory, new RegistryStore(MeshConfig.DEFAULT),
                settings, clock, Runnable::run, r -> { })) {
            watcher.start();
            assertThat(watcher.health().healthy()).isTrue();

            hang.set(true);
            assertThat(hanging.await(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            clock.advance(settings.stallAfter().plusSeconds(1));

            assertThat(watcher.health().stalled()).isTrue();
            assertThat(watcher.health().describe()).isEqualTo("registry watcher stalled: no listing since "
                    + "2026-01-01T00:00:00Z");

            hang.set(false);
            release.countDown();
            await().atMost(Duration.ofSeconds(15)).until(() -> watcher.health().healthy());
        }
    }
}
