package dev.meshpilot.e2e.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.e2e.harness.Backend;
import dev.meshpilot.e2e.harness.CallResult;
import dev.meshpilot.e2e.harness.Calls;
import dev.meshpilot.e2e.harness.ClientKind;
import dev.meshpilot.e2e.harness.E2eSettings;
import dev.meshpilot.e2e.harness.EchoMesh;
import dev.meshpilot.e2e.harness.MeshpilotServer;
import dev.meshpilot.e2e.harness.XdsBootstrap;
import dev.meshpilot.e2e.harness.XdsClientProcess;
import dev.meshpilot.server.auth.CertificateAuthority;
import dev.meshpilot.server.auth.SpiffeId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's must-show: grpc-java's own xDS client (a separate process) on the packaged server's authenticated port
 * (15012's role; a free port here) with gRFC A65 {@code tls} channel credentials in its bootstrap, presenting a
 * workload certificate with a SPIFFE id signed by the CA the server generated in its {@code --tls-dir}. A client
 * whose certificate names its node's namespace is served and its calls succeed; one whose certificate names
 * another namespace is refused with PERMISSION_DENIED, and the refusal shows in {@code /debug/authz} and
 * {@code /metrics}. (grpc-java 1.85.1 reads no {@code call_creds} from the bootstrap (gRFC A97 is not in it), so
 * JWT callers are tested with grpc-java's ADS stub in the server module's {@code AuthenticatedXdsTest}.)
 */
class AuthenticatedXdsClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void clientCertificateOfItsNamespace_isServed_andOneClaimingAnotherNamespace_isDeniedVisibly() throws Exception {
        try (EchoMesh mesh = EchoMesh.create(E2eSettings.fromSystemProperties(),
                "AuthenticatedXdsClientTest/mtls-grpc_java")) {
            Backend echo = mesh.startBackend("echo-1");
            mesh.addEndpoint(echo);
            MeshpilotServer server = mesh.startServer();
            CertificateAuthority ca = CertificateAuthority.load(server.tlsDir().resolve("ca.pem"),
                    server.tlsDir().resolve("ca-key.pem"));

            XdsBootstrap.TlsFiles own = workload(server, ca, mesh.dir(), EchoMesh.CLIENT_NAMESPACE, "client");
            XdsClientProcess served = mesh.startTlsClient(ClientKind.GRPC_JAVA, "client-0", EchoMesh.CLIENT_NAMESPACE,
                    own);
            Calls.awaitAnswersFrom(served, Set.of("echo-1"));

            XdsBootstrap.TlsFiles foreign = workload(server, ca, mesh.dir(), EchoMesh.SERVICE_NAMESPACE, "echo");
            XdsClientProcess impostor = mesh.startTlsClient(ClientKind.GRPC_JAVA, "client-1",
                    EchoMesh.CLIENT_NAMESPACE, foreign);
            // grpc-java fails the calls with what its ADS stream was told (UNAVAILABLE carrying PERMISSION_DENIED).
            await().atMost(Calls.CONVERGENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                CallResult refused = impostor.call();
                assertThat(refused.ok()).as("a call of the client claiming ns-a with an ns-b certificate").isFalse();
                assertThat(refused.description()).contains("PERMISSION_DENIED");
            });

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonNode authz = JSON.readTree(server.debugGet("/debug/authz"));
                assertThat(authz.get("recentRefusals")).anySatisfy(r -> {
                    assertThat(r.get("reason").asText()).isEqualTo("namespace_mismatch");
                    assertThat(r.get("node").asText()).contains("client-1.ns-a");
                    assertThat(r.get("caller").asText()).isEqualTo("ns-b/echo");
                });
                assertThat(authz.get("streams")).anySatisfy(s -> {
                    assertThat(s.get("proxy").asText()).isEqualTo("client-0.ns-a");
                    assertThat(s.get("identity").asText()).isEqualTo("ns-a/client");
                });
            });
            assertThat(server.debugGet("/metrics"))
                    .containsPattern("meshpilot_xds_auth_rejections_total\\{reason=\"namespace_mismatch\"} [1-9]");
            assertThat(Calls.calls(served, 3)).allMatch(CallResult::ok);
        }
    }

    private static XdsBootstrap.TlsFiles workload(MeshpilotServer server, CertificateAuthority ca, Path dir, String ns,
                                                  String sa) throws IOException {
        Path cert = dir.resolve("workload-" + ns + "-" + sa + ".pem");
        Path key = dir.resolve("workload-" + ns + "-" + sa + "-key.pem");
        ca.issueWorkload(new SpiffeId("cluster.local", ns, sa), Duration.ofDays(1)).write(cert, key);
        return new XdsBootstrap.TlsFiles(server.tlsDir().resolve("ca.pem"), cert, key);
    }
}
