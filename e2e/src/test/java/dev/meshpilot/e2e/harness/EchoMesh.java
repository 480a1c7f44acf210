package dev.meshpilot.e2e.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mesh most scenarios share: namespaces {@code istio-system}, {@code ns-a} (where clients run) and
 * {@code ns-b} (where Service {@code echo}, gRPC port 7070, lives), real backends on loopback whose EndpointSlice
 * files are added and removed by the test, the packaged server, and real xDS client processes. Everything lives
 * under one folder kept after the run (server and client logs included); {@link #close()} stops every process.
 */
public final class EchoMesh implements AutoCloseable {

    public static final String CLIENT_NAMESPACE = "ns-a";
    public static final String SERVICE_NAMESPACE = "ns-b";
    public static final String SERVICE = "echo";
    public static final String PORT_NAME = "grpc";
    public static final int SERVICE_PORT = 7070;
    public static final String HOST_AND_PORT = SERVICE + "." + SERVICE_NAMESPACE + ".svc.cluster.local:" + SERVICE_PORT;

    private final E2eSettings settings;
    private final Path dir;
    private final RegistryDirectory registry;
    private final List<Backend> backends = new ArrayList<>();
    private final List<XdsClientProcess> clients = new ArrayList<>();
    private MeshpilotServer server;

    private EchoMesh(E2eSettings settings, Path dir) {
        this.settings = settings;
        this.dir = dir;
        this.registry = new RegistryDirectory(dir.resolve("registry"));
        registry.namespace(RegistryDirectory.ROOT_NAMESPACE);
        registry.namespace(CLIENT_NAMESPACE);
        registry.namespace(SERVICE_NAMESPACE);
        registry.service(SERVICE_NAMESPACE, SERVICE, PORT_NAME, SERVICE_PORT);
    }

    /** A fresh mesh in {@code workDir/name} (emptied first). */
    public static EchoMesh create(E2eSettings settings, String name) {
        return new EchoMesh(settings, WorkDirs.emptied(settings.workDir().resolve(name)));
    }

    /** The mesh's folder (kept after the run); a place for a server's {@code --state-dir}. */
    public Path dir() {
        return dir;
    }

    public RegistryDirectory registry() {
        return registry;
    }

    /** Starts a backend named {@code name} (not yet in the registry). */
    public Backend startBackend(String name) {
        Backend backend = Backend.start(name);
        backends.add(backend);
        return backend;
    }

    /** Writes the EndpointSlice file that makes {@code backend} an endpoint of {@code echo}; returns the file. */
    public Path addEndpoint(Backend backend) {
        return registry.endpointSlice(SERVICE_NAMESPACE, SERVICE, backend.name(), PORT_NAME, backend.port());
    }

    /**
     * Adds Service {@code name} ({@code ns-b}, gRPC port {@code port}) with {@code backend} as its one endpoint;
     * returns its {@code FQDN:PORT}, the listener a proxyless client of it asks for.
     */
    public String addService(String name, int port, Backend backend) {
        registry.service(SERVICE_NAMESPACE, name, PORT_NAME, port);
        registry.endpointSlice(SERVICE_NAMESPACE, name, backend.name(), PORT_NAME, backend.port());
        return name + "." + SERVICE_NAMESPACE + ".svc.cluster.local:" + port;
    }

    public MeshpilotServer startServer(String... extraArgs) {
        if (server != null) {
            throw new IllegalStateException("server already started");
        }
        server = MeshpilotServer.start(settings, registry, dir.resolve("meshpilot.log"), extraArgs);
        return server;
    }

    /** A client process of {@code echo} running as pod {@code pod} in {@code namespace}. */
    public XdsClientProcess startClient(ClientKind kind, String pod, String namespace) {
        if (server == null) {
            throw new IllegalStateException("start the server before its clients");
        }
        XdsClientProcess client = kind.start(settings, server, new ProxyNode(pod, namespace), HOST_AND_PORT, dir);
        clients.add(client);
        return client;
    }

    /** As {@link #startClient}, through the server's authenticated TLS port with this client certificate. */
    public XdsClientProcess startTlsClient(ClientKind kind, String pod, String namespace, XdsBootstrap.TlsFiles tls) {
        if (server == null) {
            throw new IllegalStateException("start the server before its clients");
        }
        XdsClientProcess client = kind.startTls(settings, server, new ProxyNode(pod, namespace), HOST_AND_PORT, dir,
                tls);
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        clients.forEach(XdsClientProcess::close);
        if (server != null) {
            server.close();
        }
        backends.forEach(Backend::close);
    }
}
