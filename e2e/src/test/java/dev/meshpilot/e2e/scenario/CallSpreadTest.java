package dev.meshpilot.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.e2e.harness.Calls;
import dev.meshpilot.e2e.harness.Backend;
import dev.meshpilot.e2e.harness.CallResult;
import dev.meshpilot.e2e.harness.ClientKind;
import dev.meshpilot.e2e.harness.EchoMesh;
import dev.meshpilot.e2e.harness.XdsClientProcess;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CallSpreadTest {

    @ParameterizedTest
    @EnumSource(ClientKind.class)
    void callsThroughXdsSucceed_andSpreadOverBothEndpoints(ClientKind kind, TestInfo info) {
        try (EchoMesh mesh = ScenarioSupport.mesh(info, kind)) {
            Backend one = mesh.startBackend("echo-1");
            Backend two = mesh.startBackend("echo-2");
            mesh.addEndpoint(one);
            mesh.addEndpoint(two);
            mesh.startServer();
            XdsClientProcess client = mesh.startClient(kind, "client-0", EchoMesh.CLIENT_NAMESPACE);

            Calls.awaitAnswersFrom(client, Set.of("echo-1", "echo-2"));

            List<CallResult> results = Calls.calls(client, 20);
            Map<String, Integer> tally = Calls.tally(results);
            assertThat(results).as("20 calls once converged: %s", tally).allMatch(CallResult::ok);
            assertThat(tally).as("calls per backend").containsOnlyKeys("echo-1", "echo-2");
            assertThat(tally.values()).as("calls per backend %s", tally).allMatch(n -> n >= 5);
            assertThat(one.callsServed() + two.callsServed()).isGreaterThanOrEqualTo(20);
        }
    }
}
