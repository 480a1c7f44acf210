package dev.meshpilot.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.bench.client.ClientKind;
import dev.meshpilot.insight.generate.GeneratorOptions;
import dev.meshpilot.insight.generate.MeshGenerator;
import dev.meshpilot.insight.generate.SidecarMode;
import dev.meshpilot.insight.generate.TopologyReader;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale harness in the normal test run: 200 simulated Envoys (SotW) against the packaged server, on one copy
 * of the real applications with a root-default Sidecar. It asserts correctness only — every client converges,
 * every proxy the harness expects to change does, and no proxy is pushed a change it did not need — not timing.
 */
class ScaleSmokeTest {

    private static final int CLIENTS = 200;

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void twoHundredEnvoys_allConverge_andNoProxyIsPushedWhatItDoesNotNeed() throws Exception {
        Path repoRoot = Path.of(System.getProperty("meshpilot.repo.root", "..")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("meshpilot.bench.jar", repoRoot.resolve("cli/target/meshpilot.jar").toString()));
        assertThat(jar).as("the packaged server (mvn package builds it before this module's tests)").exists();
        Path registry = temp.resolve("mesh");
        new MeshGenerator().generate(new TopologyReader().readAll(topologies(repoRoot)),
                new GeneratorOptions(1, 1, SidecarMode.ROOT_DEFAULT), registry);
        MeshPods.Loaded mesh = MeshPods.load(registry);
        LoadHarness.Settings settings = new LoadHarness.Settings(registry, CLIENTS, ClientKind.ENVOY_SOTW,
                List.of(RegistryEvents.Kind.values()), 1, 1, 0, Duration.ofSeconds(60), Duration.ofMillis(700),
                Duration.ofMillis(1500), Duration.ofSeconds(30), "smoke", "namespace", false);
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        RunResult result = new LoadHarness(new PrintStream(log, true, StandardCharsets.UTF_8)).run(settings, mesh,
                dir -> ServerProcess.meshpilot(jar, dir, "1g", temp.resolve("server.log")));

        String transcript = log.toString(StandardCharsets.UTF_8);
        assertThat(result.failures()).as(transcript).isEmpty();
        assertThat(result.converged()).as(transcript).isEqualTo(CLIENTS);
        assertThat(result.events()).as(transcript).hasSize(RegistryEvents.Kind.values().length);
        for (EventResult event : result.events()) {
            assertThat(event.needless()).as("needless pushes for %s\n%s", event.event(), transcript).isZero();
            assertThat(event.missed()).as("proxies that never got %s\n%s", event.event(), transcript).isZero();
            assertThat(event.needed()).as("proxies changed by %s\n%s", event.event(), transcript).isPositive();
        }
        EventResult meshConfig = result.events().stream().filter(e -> e.event().equals("meshconfig")).findFirst()
                .orElseThrow();
        assertThat(meshConfig.needed()).as(transcript).isEqualTo(CLIENTS);
    }

    private static Path topologies(Path repoRoot) {
        Path bundled = repoRoot.resolve("examples/topologies").normalize();
        assertThat(Files.isDirectory(bundled)).as("the real topologies bundled with the repository: %s", bundled).isTrue();
        return bundled;
    }
}
