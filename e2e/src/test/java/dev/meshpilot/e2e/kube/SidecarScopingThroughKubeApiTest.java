package dev.meshpilot.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.e2e.harness.Backend;
import dev.meshpilot.e2e.harness.Calls;
import dev.meshpilot.e2e.harness.ClientKind;
import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.EchoMesh;
import dev.meshpilot.e2e.harness.Manifests;
import dev.meshpilot.e2e.harness.MeshpilotServer;
import dev.meshpilot.e2e.harness.ProxyNode;
import dev.meshpilot.e2e.harness.RegistryDirectory;
import dev.meshpilot.e2e.harness.WorkDirs;
import dev.meshpilot.e2e.harness.XdsClientProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seed scenario (issue 6 item 4) driven through the Kubernetes API: the packaged server runs with
 * {@code serve --kube --kubeconfig FILE} against fabric8's API server mock; Namespaces, the Service, its
 * EndpointSlice (pointing at a real loopback gRPC backend) and a root default Sidecar ({@code ./*},
 * {@code istio-system/*}) are created through the API. A real xDS client running as a pod of {@code ns-a} cannot
 * resolve {@code echo.ns-b}; a Sidecar for {@code ns-a} importing {@code ns-b/*}, created through the API, makes the
 * same running client's calls succeed; deleting it through the API makes them fail again.
 */
class SidecarScopingThroughKubeApiTest {

    @ParameterizedTest
    @EnumSource(ClientKind.class)
    void sidecarCreatedThroughTheApi_letsARunningClientReachTheOtherNamespace_andDeletingItHidesItAgain(
            ClientKind kind) {
        E2eSettings settings = E2eSettings.fromSystemProperties();
        Path dir = WorkDirs.emptied(settings.workDir().resolve(getClass().getSimpleName()).resolve(kind.label()));
        String importNsB = Manifests.sidecar(EchoMesh.CLIENT_NAMESPACE, "default",
                List.of("./*", EchoMesh.SERVICE_NAMESPACE + "/*"));

        try (Backend echo = Backend.start("echo-1");
                ApiServerMock api = ApiServerMock.startWithIstioCrds()) {
            api.apply(EchoObjects.namespacesAndService());
            api.apply(EchoObjects.endpointSlice(echo.name(), echo.port()));
            api.apply(Manifests.sidecar(RegistryDirectory.ROOT_NAMESPACE, "default", List.of("./*", "istio-system/*")));

            try (MeshpilotServer server = MeshpilotServer.startOnKube(settings,
                    api.writeKubeconfig(dir.resolve("kubeconfig")), dir.resolve("meshpilot.log"));
                    XdsClientProcess clientInA = kind.start(settings, server.xdsPort(),
                            new ProxyNode("client-0", EchoMesh.CLIENT_NAMESPACE), EchoMesh.HOST_AND_PORT, dir)) {
                assertThat(server.debugGet("/debug/registryz")).contains("echo.ns-b.svc.cluster.local");

                Calls.awaitListenerMissing(clientInA);
                assertThat(appliedSidecar(server)).isEqualTo("istio-system/default");

                long created = System.nanoTime();
                api.apply(importNsB);
                assertThat(api.exists("networking.istio.io/v1", "Sidecar", EchoMesh.CLIENT_NAMESPACE, "default"))
                        .isTrue();
                Calls.awaitAnswersFrom(clientInA, Set.of(echo.name()));
                long reached = System.nanoTime();
                assertThat(appliedSidecar(server)).isEqualTo("ns-a/default");

                long deleted = System.nanoTime();
                api.delete(importNsB);
                assertThat(api.exists("networking.istio.io/v1", "Sidecar", EchoMesh.CLIENT_NAMESPACE, "default"))
                        .isFalse();
                Calls.awaitListenerMissing(clientInA);
                long hidden = System.nanoTime();
                assertThat(appliedSidecar(server)).isEqualTo("istio-system/default");

                System.out.printf("%s: Sidecar created through the API -> first call answered by %s after %d ms; "
                        + "deleted -> listener reported missing after %d ms%n", kind.label(), echo.name(),
                        (reached - created) / 1_000_000, (hidden - deleted) / 1_000_000);
            }
        }
    }

    /** The Sidecar the server applies to the client, as its scope explanation names it ({@code ns/name}). */
    private static String appliedSidecar(MeshpilotServer server) {
        String explanation = server.debugGet("/debug/scopez?proxyID=client-0." + EchoMesh.CLIENT_NAMESPACE
                + "&text");
        return explanation.lines().filter(line -> line.startsWith("Sidecar: ")).findFirst()
                .map(line -> line.substring("Sidecar: ".length()).split("\\s+")[0])
                .orElseThrow(() -> new AssertionError("no Sidecar line in /debug/scopez:\n" + explanation));
    }
}
