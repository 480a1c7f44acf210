package dev.meshpilot.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.e2e.harness.Calls;
import dev.meshpilot.e2e.harness.ClientKind;
import dev.meshpilot.e2e.harness.EchoMesh;
import dev.meshpilot.e2e.harness.RegistryDirectory;
import dev.meshpilot.e2e.harness.XdsClientProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seed scenario: a root default Sidecar ({@code ./*}, {@code istio-system/*}) hides namespace B from a client
 * in namespace A; a Sidecar for A importing B makes the same running client's calls succeed; deleting it hides B
 * again.
 */
class SidecarScopingTest {

    @ParameterizedTest
    @EnumSource(ClientKind.class)
    void rootDefaultSidecar_hidesOtherNamespace_untilASidecarImportsIt_andAgainOnceItIsDeleted(ClientKind kind,
            TestInfo info) {
        try (EchoMesh mesh = ScenarioSupport.mesh(info, kind)) {
            mesh.addEndpoint(mesh.startBackend("echo-1"));
            RegistryDirectory registry = mesh.registry();
            registry.sidecar(RegistryDirectory.ROOT_NAMESPACE, "default", List.of("./*", "istio-system/*"));
            mesh.startServer();
            XdsClientProcess clientInA = mesh.startClient(kind, "client-0", EchoMesh.CLIENT_NAMESPACE);

            Calls.awaitListenerMissing(clientInA);

            Path importB = registry.sidecar(EchoMesh.CLIENT_NAMESPACE, "default",
                    List.of("./*", EchoMesh.SERVICE_NAMESPACE + "/*"));
            Calls.awaitAnswersFrom(clientInA, Set.of("echo-1"));

            registry.delete(importB);
            Calls.awaitListenerMissing(clientInA);
        }
    }

    @ParameterizedTest
    @EnumSource(ClientKind.class)
    void rootDefaultSidecar_stillLetsAClientReachItsOwnNamespace(ClientKind kind, TestInfo info) {
        try (EchoMesh mesh = ScenarioSupport.mesh(info, kind)) {
            mesh.addEndpoint(mesh.startBackend("echo-1"));
            mesh.registry().sidecar(RegistryDirectory.ROOT_NAMESPACE, "default", List.of("./*", "istio-system/*"));
            mesh.startServer();
            XdsClientProcess clientInB = mesh.startClient(kind, "client-0", EchoMesh.SERVICE_NAMESPACE);

            Calls.awaitAnswersFrom(clientInB, Set.of("echo-1"));
            assertThat(Calls.calls(clientInB, 3)).allMatch(r -> r.ok() && r.backend().equals("echo-1"));
        }
    }
}
