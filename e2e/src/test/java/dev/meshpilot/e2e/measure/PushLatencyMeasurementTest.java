package dev.meshpilot.e2e.measure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.EchoMesh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The measurement: time from a registry file change to every one of 1,000 connected clients ACKing it (p50,
 * p99, max per round and over all rounds). Tagged so it stays out of the default run; {@code
 * scripts/e2e-measure.sh} runs it (see e2e/README.md). Properties: {@code measure.clients} (1000),
 * {@code measure.rounds} (10), {@code measure.background} (a folder of extra manifests, e.g. the shared
 * cluster, copied into the registry to make the mesh realistic).
 */
@Tag("measurement")
class PushLatencyMeasurementTest {

    @Test
    void registryFileChange_toEveryClientAck_with1000SimulatedClients() throws IOException {
        int clients = Integer.getInteger("measure.clients", 1000);
        int rounds = Integer.getInteger("measure.rounds", 10);
        Optional<Path> background = Optional.ofNullable(System.getProperty("measure.background"))
                .filter(s -> !s.isBlank()).map(Path::of);
        E2eSettings settings = E2eSettings.fromSystemProperties();
        try (EchoMesh mesh = EchoMesh.create(settings, "PushLatencyMeasurement")) {
            PushLatencyRun.Report report = PushLatencyRun.run(mesh,
                    new PushLatencyRun.Plan(clients, rounds, background, Duration.ofSeconds(120)));

            String text = report.text();
            System.out.print(text);
            Path out = settings.workDir().resolve("push-latency-report.txt");
            Files.writeString(out, text);
            System.out.println("report written to " + out);
            assertThat(report.allRounds().count()).isEqualTo(clients * rounds);
        }
    }
}
