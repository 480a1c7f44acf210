package dev.meshpilot.server;

import dev.meshpilot.kube.apiserver.KubernetesSettings;
import dev.meshpilot.server.push.PushSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** With a Kubernetes source the server listens at once but is not ready until the API server's lists synced. */
class KubernetesSourceReadinessTest {

    @TempDir
    Path dir;

    @Test
    void unreachableApiServer_keepsReadyAt503_whileXdsAndDebugListen() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: nowhere
                  cluster:
                    server: http://127.0.0.1:%d
                contexts:
                - name: nowhere
                  context:
                    cluster: nowhere
                    user: nobody
                current-context: nowhere
                users:
                - name: nobody
                  user: {}
                """.formatted(closedPort));
        ServerOptions options = new ServerOptions(new MeshSourceSpec.Kubernetes(
                KubernetesSettings.defaults().withKubeconfig(kubeconfig)), "127.0.0.1", 0, "127.0.0.1", 0,
                "istio-system", new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)), 2);
        try (MeshpilotServer server = MeshpilotServer.start(options)) {
            assertThat(server.xdsPort()).isPositive();
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + server.debugAddress().getPort() + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
        }
    }
}
