package dev.meshpilot.kube.directory;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.ConverterOptions;
import dev.meshpilot.kube.convert.KubeObjectConverter;
import dev.meshpilot.kube.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static dev.meshpilot.kube.testing.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;

/** A Service with more ports than the bound is refused (located), and a served version of it is kept. */
class ServicePortsBoundTest {
    @TempDir
    Path dir;

    private static String serviceWithPorts(int count) {
        StringBuilder b = new StringBuilder("""
                apiVersion: v1
                kind: Service
                metadata: {name: wide, namespace: shop}
                spec:
                  ports:
                """);
        for (int i = 0; i < count; i++) {
            b.append("  - {name: p").append(i).append(", port: ").append(1000 + i).append("}\n");
        }
        return b.toString();
    }

    @Test
    void serviceWithTenThousandPorts_isRefused_andItsLastGoodVersionIsKept() {
        write(dir, "wide.yaml", serviceWithPorts(2));
        RegistryStore store = new RegistryStore(MeshConfig.DEFAULT);
        DirectoryWatcher watcher = new DirectoryWatcher(new ManifestDirectory(dir, new KubeObjectConverter(),
                ParseLimits.DEFAULT), store, WatchSettings.DEFAULT, new ManualClock(Instant.EPOCH), Runnable::run,
                r -> { });
        watcher.rescan();

        write(dir, "wide.yaml", serviceWithPorts(10_000));
        LoadResult result = watcher.rescan();

        assertThat(store.current().services()).singleElement().satisfies(s -> assertThat(s.ports()).hasSize(2));
        assertThat(result.problems()).extracting(ConversionProblem::toString).containsExactly(
                "wide.yaml:1: document 1: Service shop/wide: spec.ports: declares 10000 ports, more than the 100 a "
                        + "Service may have here (--max-service-ports); the Service is refused",
                "warning: wide.yaml:1: document 1: Service shop/wide: invalid now; keeping its last good version");
        System.out.printf("10,000 ports: refused; the served version keeps %d ports (%d clusters per proxy "
                + "before the bound)%n", store.current().services().get(0).ports().size(), 2 * 10_000 + 20);
    }

    @Test
    void boundIsConfigurable_andAServiceAtTheBoundIsAccepted() {
        write(dir, "wide.yaml", serviceWithPorts(300));

        LoadResult atDefault = new ManifestDirectory(dir).load();
        LoadResult raised = new ManifestDirectory(dir,
                new KubeObjectConverter(ConverterOptions.DEFAULT.withMaxServicePorts(300))).load();

        assertThat(atDefault.objects().services()).isEmpty();
        assertThat(raised.errors()).isEmpty();
        assertThat(raised.objects().services()).singleElement().satisfies(s -> assertThat(s.ports()).hasSize(300));
    }
}
