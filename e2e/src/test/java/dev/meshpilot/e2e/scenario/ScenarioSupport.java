package dev.meshpilot.e2e.scenario;

import dev.meshpilot.e2e.harness.ClientKind;
import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.EchoMesh;
import org.junit.jupiter.api.TestInfo;

/** Names each scenario's folder after its test (class, method, client) so logs are easy to find afterwards. */
final class ScenarioSupport {

    private ScenarioSupport() {
    }

    static EchoMesh mesh(TestInfo info, ClientKind kind) {
        String name = info.getTestClass().map(Class::getSimpleName).orElse("scenario") + "/"
                + info.getTestMethod().map(m -> m.getName()).orElse("test") + "-" + kind.name().toLowerCase();
        return EchoMesh.create(E2eSettings.fromSystemProperties(), name);
    }
}
