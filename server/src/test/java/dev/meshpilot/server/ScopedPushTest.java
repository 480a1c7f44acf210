package dev.meshpilot.server;

import dev.meshpilot.server.push.PushSettings;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The push pipeline end to end: real manifest files, the watched registry, real SotW streams. Two namespaces,
 * each proxy scoped to its own namespace by a root default Sidecar.
 */
class ScopedPushTest {
    private static final Duration QUIET = Duration.ofMillis(800);

    @TempDir
    Path dir;
    private MeshpilotServer server;
    private EnvoyLikeClient a;
    private EnvoyLikeClient b;

    static String service(String name, String ns, int... ports) {
        StringBuilder s = new StringBuilder("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  selector:
                    app: %s
                  ports:
                """.formatted(name, ns, name));
        for (int p : ports) {
            s.append("  - name: http-").append(p).append("\n    port: ").append(p).append('\n');
        }
        return s.toString();
    }

    static String deployment(String name, String ns, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels:
                      app: %s
                  template:
                    metadata:
                      labels:
                        app: %s
                """.formatted(name, ns, replicas, name, name);
    }

    @BeforeEach
    void start() throws IOException {
        Files.writeString(dir.resolve("namespaces.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: a
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: b
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: istio-system
                ---
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: default
                  namespace: istio-system
                spec:
                  egress:
                  - hosts: ["./*", "istio-system/*"]
                """);
        Files.writeString(dir.resolve("a-web.yaml"), service("web", "a", 80) + "---\n" + deployment("web", "a", 1));
        Files.writeString(dir.resolve("b-api.yaml"), service("api", "b", 8080) + "---\n" + deployment("api", "b", 1));
        server = MeshpilotServer.start(new ServerOptions(dir, "127.0.0.1", 0, "127.0.0.1", 0, "istio-system",
                new PushSettings(Duration.ofMillis(50), Duration.ofSeconds(2)), 4));
        a = new EnvoyLikeClient(server.xdsPort(), "web-0.a");
        b = new EnvoyLikeClient(server.xdsPort(), "api-0.b");
        a.awaitInitialConfig();
        b.awaitInitialConfig();
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        server.close();
    }

    @Test
    void eachProxySeesOnlyItsNamespace() throws IOException {
        Files.writeString(dir.resolve("a-web.yaml"), service("web", "a", 80, 81) + "---\n" + deployment("web", "a", 1));
        DiscoveryResponse cds = a.next();
        assertThat(cds.getTypeUrl()).isEqualTo(EnvoyLikeClient.CDS);
        assertThat(EnvoyLikeClient.clusterNames(cds))
                .contains("outbound|80||web.a.svc.cluster.local", "outbound|81||web.a.svc.cluster.local")
                .noneMatch(n -> n.contains("api.b"));
    }

    @Test
    void serviceChange_pushesOnlyProxiesWhoseScopeHoldsIt() throws IOException {
        Files.writeString(dir.resolve("a-web.yaml"), service("web", "a", 80, 81) + "---\n" + deployment("web", "a", 1));
        List<DiscoveryResponse> toA = a.nextBurst(QUIET);
        assertThat(toA).extracting(DiscoveryResponse::getTypeUrl).contains(EnvoyLikeClient.CDS);
        assertThat(b.drainQuiet(Duration.ofMillis(200))).isEmpty();

        String metrics = metrics();
        assertThat(metrics).contains("pilot_push_triggers_total{type=\"service\"}", "pilot_debounce_time_count",
                "pilot_proxy_convergence_time_bucket{le=\"0.1\"}", "pilot_xds_pushes_total{type=\"cds\"}");
    }

    private String metrics() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.debugAddress().getPort() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void endpointOnlyChange_sendsOnlyEds_toProxiesThatSeeTheService() throws IOException {
        Files.writeString(dir.resolve("b-api.yaml"), service("api", "b", 8080) + "---\n" + deployment("api", "b", 2));
        List<DiscoveryResponse> toB = b.nextBurst(QUIET);
        assertThat(toB).extracting(DiscoveryResponse::getTypeUrl).containsExactly(EnvoyLikeClient.EDS);
        assertThat(a.drainQuiet(Duration.ofMillis(200))).isEmpty();
    }

    @Test
    void newSidecarImportingAnotherNamespace_reachesOnlyThatNamespace() throws IOException {
        Files.writeString(dir.resolve("a-sidecar.yaml"), """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: default
                  namespace: a
                spec:
                  egress:
                  - hosts: ["./*", "b/*"]
                """);
        DiscoveryResponse cds = a.next();
        assertThat(EnvoyLikeClient.clusterNames(cds)).contains("outbound|8080||api.b.svc.cluster.local");
        assertThat(b.drainQuiet(QUIET)).isEmpty();

        Files.delete(dir.resolve("a-sidecar.yaml"));
        List<DiscoveryResponse> after = a.nextBurst(QUIET);
        DiscoveryResponse lastCds = after.stream().filter(r -> r.getTypeUrl().equals(EnvoyLikeClient.CDS))
                .reduce((x, y) -> y).orElseThrow();
        assertThat(EnvoyLikeClient.clusterNames(lastCds)).noneMatch(n -> n.contains("api.b"));
    }
}
