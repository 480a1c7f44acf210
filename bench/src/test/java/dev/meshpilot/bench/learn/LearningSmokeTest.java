package dev.meshpilot.bench.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning run in the normal test run, on bookinfo (6 simulated Envoys against the packaged server): under
 * {@code --scoping learned} with ALLOW_ANY and with REGISTRY_ONLY, and under {@code shadow}. Correctness only:
 * every call had a path, the fallback path was taken and each fallback's cluster arrived, learned clusters end
 * within 5 % of the traffic oracle, and no proxy of another workload was pushed by a widening.
 */
class LearningSmokeTest {

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void bookinfo_learnedShadowAndRegistryOnly_everyCallHasAPath_andLearningNarrowsToTheOracle() throws Exception {
        Path repoRoot = Path.of(System.getProperty("meshpilot.repo.root", "..")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("meshpilot.bench.jar", repoRoot.resolve("cli/target/meshpilot.jar").toString()));
        assertThat(jar).as("the packaged server (mvn package builds it before this module's tests)").exists();
        Path registry = copy(repoRoot.resolve("examples/bookinfo"), temp.resolve("bookinfo"));
        Oracle oracle = Oracle.of(registry, registry.resolve("edges.csv"));
        assertThat(oracle.oracleClusters()).isPositive().isLessThan(oracle.upperBoundClusters());

        LearningResult allowAny = run(jar, registry, "learned", oracle, "allow-any");
        assertLearned(allowAny);
        assertThat(allowAny.fallbackVias().keySet()).as("ALLOW_ANY: the catch-alls")
                .allMatch(via -> via.startsWith("virtualOutbound/") || via.endsWith("/allow_any"));

        LearningResult shadow = run(jar, registry, "shadow", oracle, "shadow");
        assertThat(shadow.noPathCalls()).isZero();
        assertThat(shadow.fallbackCalls()).as("shadow serves the upper bound").isZero();
        assertThat(shadow.finalClusters()).isEqualTo(shadow.coldClusters()).isEqualTo(oracle.upperBoundClusters());
        assertThat(shadow.learnzLearnedEdges()).isEqualTo(allowAny.learnzLearnedEdges()).isPositive();
        assertThat(shadow.learnzLearnedClusters()).isEqualTo(allowAny.learnzLearnedClusters())
                .isLessThan(shadow.learnzUpperBoundClusters());
        assertThat(shadow.failures()).isEmpty();

        Files.writeString(registry.resolve("meshconfig.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                + "  name: istio\n  namespace: istio-system\ndata:\n  mesh: |\n    outboundTrafficPolicy:\n"
                + "      mode: REGISTRY_ONLY\n");
        LearningResult registryOnly = run(jar, registry, "learned", oracle, "registry-only");
        assertLearned(registryOnly);
        assertThat(registryOnly.fallbackVias().keySet()).as("REGISTRY_ONLY: the learning fallback chains/virtual host")
                .allMatch(via -> via.contains("meshpilot-learning-fallback"));
    }

    private LearningResult run(Path jar, Path registry, String mode, Oracle oracle, String name) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LearningHarness.Settings settings = new LearningHarness.Settings(registry, jar, mode, "1s", "100ms", "512m",
                temp.resolve(name + ".log"), name, Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofMillis(400), oracle.oracleClusters(), oracle.upperBoundClusters(), false);
        LearningResult result = new LearningHarness(new PrintStream(log, true, StandardCharsets.UTF_8)).run(settings);
        LearningRun.print(new PrintStream(log, true, StandardCharsets.UTF_8), result);
        System.out.print(log.toString(StandardCharsets.UTF_8));
        return result;
    }

    private static void assertLearned(LearningResult r) {
        assertThat(r.failures()).isEmpty();
        assertThat(r.noPathCalls()).as("calls without a path").isZero();
        assertThat(r.fallbackCalls()).as("a fresh ledger narrows to nothing: calls go through the fallback").isPositive();
        assertThat(r.fallbacksNeverAcked()).isZero();
        assertThat(r.fallbacksAcked()).isEqualTo(r.fallbackCalls());
        assertThat(r.fallbackAfterLearning()).isZero();
        assertThat(r.noPathAfterLearning()).isZero();
        assertThat(r.finalClusters()).isLessThanOrEqualTo((long) Math.floor(1.05 * r.oracleClusters()));
        assertThat(r.pushesOutside()).as("proxies of other workloads pushed by a widening: %s", r.outsideExamples())
                .isZero();
        assertThat(LearningRun.correct(r)).isTrue();
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }
}
