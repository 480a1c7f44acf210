package dev.meshpilot.kube.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's Kubernetes API server mock in CRUD mode — objects are stored, read, listed, replaced with
 * {@code resourceVersion} checks (409 on a stale one) and deleted — the accepted stand-in for a kube-apiserver,
 * which cannot run here. It does not serve server-side apply (415; see {@code WriteMethod}).
 */
public final class CrudApiServer implements AutoCloseable {

    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final List<KubernetesClient> clients = new ArrayList<>();

    public CrudApiServer() {
        this(new KubernetesCrudDispatcher(List.of()));
    }

    /** A mock serving through {@code dispatcher} (e.g. one that injects conflicts). */
    public CrudApiServer(KubernetesCrudDispatcher dispatcher) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
    }

    /** A new client of this server (one per simulated meshpilot replica), closed with the server. */
    public KubernetesClient newClient() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + server.getPort())
                .withNamespace("default").withRequestTimeout(10_000).withConnectionTimeout(2_000)
                .withRequestRetryBackoffLimit(0).build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        clients.add(client);
        return client;
    }

    /** The last request the server received. */
    public RecordedRequest lastRequest() throws InterruptedException {
        return server.getLastRequest();
    }

    @Override
    public void close() {
        clients.forEach(KubernetesClient::close);
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            // Vert.x waits a bounded time for client connections to drain (see MockApiServer); the port is closed.
            if (!String.valueOf(e.getMessage()).startsWith("Unable to close MockWebServer")) {
                throw e;
            }
        }
    }
}
