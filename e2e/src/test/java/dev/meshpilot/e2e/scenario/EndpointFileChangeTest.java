package dev.meshpilot.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.e2e.harness.Calls;
import dev.meshpilot.e2e.harness.Backend;
import dev.meshpilot.e2e.harness.ClientKind;
import dev.meshpilot.e2e.harness.EchoMesh;
import dev.meshpilot.e2e.harness.XdsClientProcess;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EndpointFileChangeTest {

    @ParameterizedTest
    @EnumSource(ClientKind.class)
    void addedEndpointFile_startsTakingCalls_andDeletedOne_stopsTakingThem(ClientKind kind, TestInfo info) {
        try (EchoMesh mesh = ScenarioSupport.mesh(info, kind)) {
            Backend one = mesh.startBackend("echo-1");
            Backend two = mesh.startBackend("echo-2");
            Path firstSlice = mesh.addEndpoint(one);
            mesh.startServer();
            XdsClientProcess client = mesh.startClient(kind, "client-0", EchoMesh.CLIENT_NAMESPACE);
            Calls.awaitOnlyAnswersFrom(client, Set.of("echo-1"), 5);
            assertThat(two.callsServed()).as("calls reaching echo-2 before it is in the registry").isZero();

            mesh.addEndpoint(two);
            Calls.awaitAnswersFrom(client, Set.of("echo-2"));

            mesh.registry().delete(firstSlice);
            Calls.awaitOnlyAnswersFrom(client, Set.of("echo-2"), 10);
            long servedByOne = one.callsServed();
            Calls.calls(client, 10);
            assertThat(one.callsServed()).as("calls reaching echo-1 after its EndpointSlice file was deleted")
                    .isEqualTo(servedByOne);
        }
    }
}
