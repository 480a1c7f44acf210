package dev.meshpilot.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checks the client plumbing on its own, without meshpilot: a client whose bootstrap names a port nobody listens
 * on starts, answers a call with a failure rather than hanging, and stops. When a scenario fails, this tells
 * "the harness is broken" apart from "the server is".
 */
class ClientProcessWithoutControlPlaneTest {

    @ParameterizedTest
    @EnumSource(ClientKind.class)
    void clientWithNoControlPlane_startsAndReportsAFailedCall(ClientKind kind) {
        E2eSettings settings = E2eSettings.fromSystemProperties();
        Path dir = settings.workDir().resolve("ClientProcessWithoutControlPlaneTest");
        ProxyNode node = new ProxyNode("lonely-0", "ns-a");
        Path bootstrap = XdsBootstrap.write(dir.resolve(kind + "-bootstrap.json"), FreePorts.next(), node);
        try (XdsClientProcess client = kind.launch(settings, bootstrap, "xds:///echo.ns-b.svc.cluster.local:7070",
                dir.resolve(kind + ".log"))) {
            CallResult result = client.call();
            assertThat(result.ok()).as("call without a control plane: %s", result).isFalse();
            assertThat(result.statusCode()).isIn("UNAVAILABLE", "DEADLINE_EXCEEDED");
        }
    }
}
