package dev.meshpilot.bench.storm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.bench.client.ClientKind;
import dev.meshpilot.bench.run.MeshPods;
import dev.meshpilot.bench.run.ServerProcess;
import dev.meshpilot.insight.generate.GeneratorOptions;
import dev.meshpilot.insight.generate.MeshGenerator;
import dev.meshpilot.insight.generate.SidecarMode;
import dev.meshpilot.insight.generate.TopologyReader;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reconnect storm at small scale in the normal test run (correctness only, no timing): 60 simulated proxies
 * converge on the packaged server, the server is killed and started again, and every proxy must come back to exactly
 * the configuration it held (names, digests, ACKed versions), with nothing pushed to it once it is back; also
 * through the server's new-stream rate limit (20/s for 60 proxies), where refused proxies retry on Envoy's backoff
 * and none is starved.
 */
class ReconnectStormSmokeTest {

    private static final int CLIENTS = 60;

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} {1}, new-stream rate limit {2}/s (0: lifted)")
    @CsvSource({"envoy-sotw, all-at-once, 0", "grpc, envoy-backoff, 0", "envoy-sotw, all-at-once, 20"})
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void killedAndRestartedServer_everyProxyBackToTheSameConfig(String kind, String mode, int newStreamRate)
            throws Exception {
        Path repoRoot = Path.of(System.getProperty("meshpilot.repo.root", "..")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("meshpilot.bench.jar", repoRoot.resolve("cli/target/meshpilot.jar").toString()));
        assertThat(jar).as("the packaged server (mvn package builds it before this module's tests)").exists();
        Path registry = temp.resolve("mesh");
        new MeshGenerator().generate(new TopologyReader().readAll(repoRoot.resolve("examples/topologies")),
                new GeneratorOptions(1, 1, SidecarMode.ROOT_DEFAULT), registry);
        MeshPods.Loaded mesh = MeshPods.load(registry);
        StormHarness.Settings settings = new StormHarness.Settings(CLIENTS, ClientKind.fromCliName(kind),
                // the cold start stays under the rate limit (half of it); the storm after the restart does not
                ReconnectMode.fromCliName(mode), newStreamRate / 2, Duration.ofSeconds(60), Duration.ofMillis(1000), 7,
                "smoke", false);
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        StormResult result = new StormHarness(new PrintStream(log, true, StandardCharsets.UTF_8)).run(settings, mesh,
                registry, dir -> ServerProcess.meshpilot(jar, dir, "512m", temp.resolve("server.log"),
                        newStreamRate > 0 ? List.of("--new-stream-rate=" + newStreamRate) : List.of()));

        String transcript = log.toString(StandardCharsets.UTF_8);
        assertThat(result.failures()).as(transcript).isEmpty();
        assertThat(result.reconverged()).as(transcript).isEqualTo(CLIENTS);
        assertThat(result.identical()).as("proxies holding what they held before\n%s", transcript).isEqualTo(CLIENTS);
        assertThat(result.responsesAfter()).as("responses after a proxy was back\n%s", transcript).isZero();
        assertThat(result.attempts()).as(transcript).isGreaterThanOrEqualTo(CLIENTS);
        if (newStreamRate > 0) {
            // 60 proxies at 20 new streams/s (burst 20, at most 1 s in the queue): some are refused with
            // RESOURCE_EXHAUSTED and come back on Envoy's backoff; none is starved
            assertThat(result.attempts()).as("attempts beyond the first per proxy\n%s", transcript)
                    .isGreaterThan(CLIENTS);
        }
    }
}
