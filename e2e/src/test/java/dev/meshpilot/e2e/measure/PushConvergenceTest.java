package dev.meshpilot.e2e.measure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.EchoMesh;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The small, always-run sibling of {@link PushLatencyMeasurementTest}: 20 simulated SotW clients must all ACK
 * the endpoint update that follows adding, then deleting, an EndpointSlice file.
 */
class PushConvergenceTest {

    @Test
    void everySotwClient_acksTheEndpointUpdate_afterAnEndpointSliceFileIsAddedAndDeleted() {
        try (EchoMesh mesh = EchoMesh.create(E2eSettings.fromSystemProperties(), "PushConvergenceTest")) {
            PushLatencyRun.Report report = PushLatencyRun.run(mesh,
                    new PushLatencyRun.Plan(20, 2, Optional.empty(), Duration.ofSeconds(30)));

            System.out.print(report.text());
            assertThat(report.rounds()).hasSize(2);
            assertThat(report.allRounds().count()).isEqualTo(40);
        }
    }
}
