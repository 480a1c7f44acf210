package dev.meshpilot.kube.directory;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.KubeObjectConverter;
import dev.meshpilot.kube.testing.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.meshpilot.kube.testing.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;

/** A syntax error in one document of a multi-document file costs nothing but a located message. */
class MalformedDocumentTest {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RegistryStore store = new RegistryStore(MeshConfig.DEFAULT);
    private DirectoryWatcher watcher;

    private static String service(String name, int port) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %s
                  namespace: shop
                spec:
                  ports: [{name: http, port: %d}]
                """.formatted(name, port);
    }

    @BeforeEach
    void start() {
        write(dir, "shop.yaml", service("a", 80) + "---\n" + service("b", 80) + "---\n" + service("c", 80));
        watcher = new DirectoryWatcher(new ManifestDirectory(dir, new KubeObjectConverter(), ParseLimits.DEFAULT),
                store, WatchSettings.DEFAULT, clock, Runnable::run, r -> { });
        watcher.rescan();
    }

    private int portOf(String name) {
        return store.current().servicesNamed(name + ".shop.svc.cluster.local").get(0).ports().get(0).port();
    }

    private List<String> messages() {
        return watcher.current().problems().stream().map(ConversionProblem::toString).toList();
    }

    @Test
    void syntaxErrorInOneDocument_keepsThatObjectsLastGoodVersion_matchedByItsName_whileTheOthersUpdate() {
        write(dir, "shop.yaml", service("a", 81) + "---\n"
                + service("b", 81).replace("ports: [{name: http, port: 81}]", "ports: [{name: http, port: 81")
                + "---\n" + service("c", 81));

        watcher.rescan();
        assertThat(portOf("a")).as("held for the settle window: the file has a malformed document").isEqualTo(80);
        clock.advance(WatchSettings.DEFAULT.settleWindow());
        watcher.rescan();

        assertThat(portOf("a")).isEqualTo(81);
        assertThat(portOf("b")).isEqualTo(80);
        assertThat(portOf("c")).isEqualTo(81);
        assertThat(messages()).hasSize(2);
        assertThat(messages().get(0)).startsWith("shop.yaml:15: document 2: malformed YAML: ");
        assertThat(messages().get(1)).isEqualTo("warning: shop.yaml:15: document 2: Service shop/b: document 2 is "
                + "malformed; keeping the last good version (matched by kind/namespace/name)");
    }

    @Test
    void unreadableDocumentWithoutAHeader_keepsTheLastGoodObjectAtItsPosition() {
        write(dir, "shop.yaml", service("a", 80) + "---\n" + "{{{: ]]\n" + "---\n" + service("c", 80));
        clock.advance(WatchSettings.DEFAULT.settleWindow());
        watcher.rescan();
        clock.advance(WatchSettings.DEFAULT.settleWindow());
        watcher.rescan();

        assertThat(portOf("b")).isEqualTo(80);
        assertThat(messages()).last().asString().isEqualTo("warning: shop.yaml:9: document 2: Service shop/b: "
                + "document 2 is malformed; keeping the last good version (matched by position)");
    }

    @Test
    void fixingTheDocument_clearsTheMessages() {
        write(dir, "shop.yaml", service("a", 80) + "---\nkind: Service\nmetadata: {name: b, namespace: shop}\n"
                + "spec: [\n---\n" + service("c", 80));
        clock.advance(WatchSettings.DEFAULT.settleWindow());
        watcher.rescan();
        assertThat(watcher.current().errors()).isNotEmpty();

        write(dir, "shop.yaml", service("a", 80) + "---\n" + service("b", 82) + "---\n" + service("c", 80));
        watcher.rescan();

        assertThat(portOf("b")).isEqualTo(82);
        assertThat(messages()).isEmpty();
    }
}
