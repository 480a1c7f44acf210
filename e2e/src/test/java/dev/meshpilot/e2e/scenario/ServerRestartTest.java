package dev.meshpilot.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshpilot.e2e.harness.Calls;
import dev.meshpilot.e2e.harness.Backend;
import dev.meshpilot.e2e.harness.ClientKind;
import dev.meshpilot.e2e.harness.EchoMesh;
import dev.meshpilot.e2e.harness.MeshpilotServer;
import dev.meshpilot.e2e.harness.XdsClientProcess;
import java.util.Set;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server process is stopped and started again on the same ports. A client keeps its cached config while the
 * server is away, so recovery is proven by a change made while it was down: only a client that reconnected to
 * the new process can learn about the new endpoint.
 */
class ServerRestartTest {

    @ParameterizedTest
    @EnumSource(ClientKind.class)
    void restartedServer_clientsReconnect_andSeeConfigServedByTheNewProcess(ClientKind kind, TestInfo info) {
        try (EchoMesh mesh = ScenarioSupport.mesh(info, kind)) {
            Backend one = mesh.startBackend("echo-1");
            Backend two = mesh.startBackend("echo-2");
            mesh.addEndpoint(one);
            MeshpilotServer server = mesh.startServer();
            XdsClientProcess client = mesh.startClient(kind, "client-0", EchoMesh.CLIENT_NAMESPACE);
            Calls.awaitOnlyAnswersFrom(client, Set.of("echo-1"), 3);

            server.stop();
            mesh.addEndpoint(two);
            server.restart();

            Calls.awaitAnswersFrom(client, Set.of("echo-2"));
            String proxyName = "client-0." + EchoMesh.CLIENT_NAMESPACE;
            await("the restarted server listing " + proxyName + " in /debug/syncz").atMost(Calls.CONVERGENCE)
                    .untilAsserted(() -> assertThat(server.debugGet("/debug/syncz")).contains(proxyName));
        }
    }
}
