package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.cli.CliRun;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxy-config --kube}: computed from a live API server. fabric8's API server mock in CRUD mode stands in
 * for a kube-apiserver, which cannot be installed on these machines.
 */
class ProxyConfigKubeTest {

    private KubernetesMockServer server;
    private KubernetesClient admin;
    @TempDir
    Path dir;

    @BeforeEach
    void startApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url()).withNamespace("default").build();
        admin = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterEach
    void stopApiServer() {
        admin.close();
        server.destroy();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private void apply(String yaml) {
        admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).createOrReplace();
    }

    private Path kubeconfig(String context) throws Exception {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                current-context: %s
                clusters:
                - name: mock
                  cluster: {server: "%s"}
                users:
                - name: reader
                  user: {token: abc}
                contexts:
                - name: mock
                  context: {cluster: mock, user: reader, namespace: default}
                """.formatted(context, url()));
        return file;
    }

    @Test
    void clustersOfAPodInTheLiveCluster() throws Exception {
        apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: db, namespace: shop}
                spec: {selector: {app: db}, ports: [{name: tcp-pg, port: 5432}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web-1, namespace: shop, labels: {app: web}}
                spec: {containers: [{name: web, image: web}]}
                status: {podIP: 10.1.0.1, phase: Running}
                """);

        CliRun run = CliRun.of("proxy-config", "clusters", "web-1.shop", "--kube", "--kubeconfig",
                kubeconfig("mock").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("web.shop.svc.cluster.local", "db.shop.svc.cluster.local", "inbound");
    }

    @Test
    void unknownContext_isAUserError() throws Exception {
        CliRun run = CliRun.of("proxy-config", "clusters", "web-1.shop", "--kube", "--kubeconfig",
                kubeconfig("mock").toString(), "--context", "staging");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("staging").doesNotContain("\tat ");
    }

    @Test
    void kubeconfigWithoutKube_isAUserError() {
        CliRun run = CliRun.of("proxy-config", "clusters", "web-1.shop", "--registry", ".", "--kubeconfig", "x");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--kubeconfig and --context need --kube");
    }
}
