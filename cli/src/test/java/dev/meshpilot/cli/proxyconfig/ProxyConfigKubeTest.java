package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.cli.MockApiServer;

import dev.meshpilot.cli.CliRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code proxy-config --kube}: computed from a live API server. fabric8's API server mock in CRUD mode stands in
 * for a kube-apiserver, which cannot be installed on these machines.
 */
class ProxyConfigKubeTest {

    private MockApiServer server;
    @TempDir
    Path dir;

    @BeforeEach
    void startApiServer() {
        server = new MockApiServer();
    }

    @AfterEach
    void stopApiServer() {
        server.close();
    }

    private void apply(String yaml) {
        server.apply(yaml);
    }

    private Path kubeconfig(String context) throws Exception {
        return server.kubeconfig(dir, context);
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
