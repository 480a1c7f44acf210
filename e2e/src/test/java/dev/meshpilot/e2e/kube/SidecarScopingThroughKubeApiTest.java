package dev.meshpilot.e2e.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshpilot.e2e.harness.Backend;
import dev.meshpilot.e2e.harness.CallResult;
import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.ProxyNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
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

    /** Long enough for a client's first xDS round trip plus its 15 s does-not-exist timer on a busy machine. */
    private static final Duration CONVERGENCE = Duration.ofSeconds(45);
    private static final Duration POLL = Duration.ofMillis(200);

    @ParameterizedTest
    @EnumSource(RealXdsClient.Kind.class)
    void sidecarCreatedThroughTheApi_letsARunningClientReachTheOtherNamespace_andDeletingItHidesItAgain(
            RealXdsClient.Kind kind) {
        E2eSettings settings = E2eSettings.fromSystemProperties();
        Path dir = emptied(settings.workDir().resolve(getClass().getSimpleName()).resolve(kind.label()));
        String importNsB = EchoObjects.sidecar(EchoObjects.CLIENT_NAMESPACE, "default",
                List.of("./*", EchoObjects.SERVICE_NAMESPACE + "/*"));

        try (Backend echo = Backend.start("echo-1");
                ApiServerMock api = ApiServerMock.startWithIstioCrds()) {
            api.apply(EchoObjects.namespacesAndService());
            api.apply(EchoObjects.endpointSlice(echo.name(), echo.port()));
            api.apply(EchoObjects.sidecar(EchoObjects.ROOT_NAMESPACE, "default", List.of("./*", "istio-system/*")));

            try (KubeServedMeshpilot server = KubeServedMeshpilot.start(settings,
                    api.writeKubeconfig(dir.resolve("kubeconfig")), dir.resolve("meshpilot.log"));
                    RealXdsClient clientInA = RealXdsClient.start(kind, settings, server.xdsPort(),
                            new ProxyNode("client-0", EchoObjects.CLIENT_NAMESPACE), EchoObjects.HOST_AND_PORT,
                            dir)) {
                assertThat(server.debugGet("/debug/registryz")).contains("echo.ns-b.svc.cluster.local");

                awaitListenerMissing(clientInA);
                assertThat(appliedSidecar(server)).isEqualTo("istio-system/default");

                long created = System.nanoTime();
                api.apply(importNsB);
                assertThat(api.exists("networking.istio.io/v1", "Sidecar", EchoObjects.CLIENT_NAMESPACE, "default"))
                        .isTrue();
                awaitAnswerFrom(clientInA, echo.name());
                long reached = System.nanoTime();
                assertThat(appliedSidecar(server)).isEqualTo("ns-a/default");

                long deleted = System.nanoTime();
                api.delete(importNsB);
                assertThat(api.exists("networking.istio.io/v1", "Sidecar", EchoObjects.CLIENT_NAMESPACE, "default"))
                        .isFalse();
                awaitListenerMissing(clientInA);
                long hidden = System.nanoTime();
                assertThat(appliedSidecar(server)).isEqualTo("istio-system/default");

                System.out.printf("%s: Sidecar created through the API -> first call answered by %s after %d ms; "
                        + "deleted -> listener reported missing after %d ms%n", kind.label(), echo.name(),
                        (reached - created) / 1_000_000, (hidden - deleted) / 1_000_000);
            }
        }
    }

    /** The Sidecar the server applies to the client, as its scope explanation names it ({@code ns/name}). */
    private static String appliedSidecar(KubeServedMeshpilot server) {
        String explanation = server.debugGet("/debug/scopez?proxyID=client-0." + EchoObjects.CLIENT_NAMESPACE
                + "&text");
        return explanation.lines().filter(line -> line.startsWith("Sidecar: ")).findFirst()
                .map(line -> line.substring("Sidecar: ".length()).split("\\s+")[0])
                .orElseThrow(() -> new AssertionError("no Sidecar line in /debug/scopez:\n" + explanation));
    }

    /** Calls until one call is answered by {@code backend}; the last call's result is in the timeout message. */
    private static void awaitAnswerFrom(RealXdsClient client, String backend) {
        AtomicReference<CallResult> last = new AtomicReference<>();
        await(client + " reaching " + backend).atMost(CONVERGENCE).pollInterval(POLL).untilAsserted(() -> {
            CallResult result = client.call();
            last.set(result);
            assertThat(result.ok() && result.backend().equals(backend)).as("last call: %s", last.get()).isTrue();
        });
    }

    /**
     * Calls until a call fails and the client has reported that the listener for its target does not exist: in the
     * call's status (grpc-java) or in its resolver trace since this wait began (grpc-js-xds, whose calls just wait
     * for name resolution). For a listener a client never had, that takes its 15 s does-not-exist timer.
     */
    private static void awaitListenerMissing(RealXdsClient client) {
        int mark = client.outputMark();
        await(client + " reporting that its listener does not exist").atMost(CONVERGENCE).pollInterval(POLL)
                .untilAsserted(() -> {
                    CallResult result = client.call();
                    boolean reported = result.listenerDoesNotExist()
                            || (!result.ok() && client.printedSince(mark, CallResult::reportsMissingListener));
                    assertThat(reported).as("last call: %s", result).isTrue();
                });
    }

    /** A fresh folder for this run's kubeconfig, bootstrap files and logs (kept afterwards for diagnosis). */
    private static Path emptied(Path dir) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + dir, e);
        }
    }
}
