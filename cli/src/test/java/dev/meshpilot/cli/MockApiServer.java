package dev.meshpilot.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/**
 * fabric8's API server mock in CRUD mode — the accepted stand-in for a kube-apiserver, which cannot be installed
 * here — with an admin client and a kubeconfig the command line can be pointed at.
 */
public final class MockApiServer implements AutoCloseable {

    private final KubernetesMockServer server;
    private final KubernetesClient admin;

    public MockApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init();
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url()).withNamespace("default").build();
        admin = new KubernetesClientBuilder().withConfig(config).build();
    }

    public KubernetesClient admin() {
        return admin;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** Creates (or replaces) the objects of a multi-document YAML of kinds the client knows. */
    public void apply(String yaml) {
        admin.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).createOrReplace();
    }

    /** A kubeconfig in {@code dir} whose context {@code mock} points at this server, with {@code context} current. */
    public Path kubeconfig(Path dir, String context) throws IOException {
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

    @Override
    public void close() {
        admin.close();
        server.destroy();
    }
}
