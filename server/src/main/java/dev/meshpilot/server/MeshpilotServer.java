package dev.meshpilot.server;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.registry.ChangeSet;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.core.registry.SnapshotUpdate;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.apiserver.KubernetesSettings;
import dev.meshpilot.kube.apiserver.KubernetesSource;
import dev.meshpilot.kube.convert.ConverterOptions;
import dev.meshpilot.kube.directory.LoadResult;
import dev.meshpilot.kube.directory.MeshLoader;
import dev.meshpilot.kube.directory.WatchedMesh;
import dev.meshpilot.server.accesslog.AccessLogLearning;
import dev.meshpilot.server.ads.AdsService;
import dev.meshpilot.server.auth.AuthRefusals;
import dev.meshpilot.server.auth.AuthenticatedXdsPort;
import dev.meshpilot.server.ads.StreamLimits;
import dev.meshpilot.server.limits.Rejections;
import dev.meshpilot.server.limits.ResourceLimits;
import dev.meshpilot.server.limits.XdsTransportGuard;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import dev.meshpilot.server.ads.ConnectionRegistry;
import dev.meshpilot.server.debug.IstioDebugXds;
import dev.meshpilot.server.debug.DebugServer;
import dev.meshpilot.server.learn.LedgerKeeper;
import dev.meshpilot.server.learn.ServedLearning;
import dev.meshpilot.server.metrics.LearningMetrics;
import dev.meshpilot.server.metrics.ProcessMetrics;
import dev.meshpilot.server.metrics.ServerMetrics;
import dev.meshpilot.server.push.MeshState;
import dev.meshpilot.server.push.PushPipeline;
import dev.meshpilot.server.push.WarmStart;
import dev.meshpilot.server.push.ScopeLearning;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The control plane, wired by hand: a watched manifest directory (or a Kubernetes API server) feeds the registry
 * store; its updates go
 * through the push pipeline to the ADS streams; the access-log service on the xDS port and the polled evidence
 * readers feed the {@link LedgerKeeper}; the debug server reads the same structures. {@link #start}
 * returns once the mesh is loaded and both ports listen.
 */
public final class MeshpilotServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MeshpilotServer.class.getName());
    /**
     * Largest message any client may send on the xDS port, for every service on it (grpc-java has no per-service
     * limit): gRPC's default, stated here because the access-log service relies on it. Envoy sends access logs in
     * batches of 16 KiB by default.
     */
    public static final int MAX_INBOUND_MESSAGE_BYTES = ResourceLimits.DEFAULT_MAX_MESSAGE_BYTES;
    private static final String SHUTDOWN = "meshpilot is shutting down";

    private final AutoCloseable source;
    private final java.util.function.BooleanSupplier sourceReady;
    private final java.util.function.Supplier<String> sourceDetail;
    private final PushPipeline pipeline;
    private final ConnectionRegistry connections;
    private final ExecutorService streamPool;
    private final ScheduledExecutorService learningScheduler;
    private final LedgerKeeper keeper;
    private final ProcessMetrics processMetrics;
    private final AccessLogLearning accessLog;
    /** The plaintext xDS port; null when it is off ({@code --xds-port -1}). */
    private final Server grpc;
    /** The authenticated TLS xDS port; null when it is off. */
    private final AuthenticatedXdsPort secure;
    private final AuthRefusals refusals;
    private final XdsTransportGuard transportGuard;
    private final ScheduledExecutorService streamTimer;
    private final DebugServer debug;
    private final RegistryStore.Subscription subscription;
    private volatile boolean ready;
    private final WarmStart warmStart;
    /** Warmed parts no proxy claims within this long are dropped. */
    private static final java.time.Duration UNCLAIMED_AFTER = java.time.Duration.ofMinutes(1);

    private MeshpilotServer(ServerOptions options) throws IOException {
        ConverterOptions converterOptions = ConverterOptions.withSystemNamespace(options.systemNamespace())
                .withMaxServicePorts(options.registry().maxServicePorts());
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        processMetrics = new ProcessMetrics(prometheus);
        ServerMetrics metrics = new ServerMetrics(prometheus);
        ProxyConfigGenerator generator = new ProxyConfigGenerator(options.scoping().generatorOptions());
        AtomicInteger learningIds = new AtomicInteger();
        learningScheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "meshpilot-learning-" + learningIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LearningMetrics learningMetrics = new LearningMetrics(prometheus);
        keeper = new LedgerKeeper(options.learning(), learningScheduler, Clock.systemUTC(), learningMetrics);
        keeper.start();
        ScopeLearning scopeLearning = new ScopeLearning(options.scoping(), keeper::ledger, keeper::accept,
                Clock.systemUTC());
        ServedLearning noDecisions = ServedLearning.none(options.scoping().defaultMode());
        RegistryStore store;
        if (options.source() instanceof MeshSourceSpec.Directory directory) {
            if (!Files.isDirectory(directory.path())) {
                throw new IllegalArgumentException("registry directory " + directory.path() + " does not exist");
            }
            WatchedMesh mesh = MeshLoader.watch(directory.path(), converterOptions, options.registry().watch(),
                    MeshpilotServer::report);
            report(mesh.initial());
            this.source = mesh;
            this.sourceReady = () -> mesh.watcher().health().healthy();
            this.sourceDetail = () -> mesh.watcher().health().describe();
            store = mesh.store();
            MeshSnapshot loaded = store.current();
            pipeline = new PushPipeline(MeshState.of(loaded, generator, noDecisions), metrics, options.push(),
                    scopeLearning, Optional.of(learningMetrics));
            subscription = store.subscribe(pipeline::onUpdate);
            if (subscription.initial().version() != loaded.version()) {
                // A change landed between loading and listening: treat everything as changed.
                pipeline.onUpdate(new SnapshotUpdate(loaded, subscription.initial(), new ChangeSet(loaded.version(),
                        subscription.initial().version(), Set.of(ConfigKey.of(ConfigKey.Kind.MESH_CONFIG, "", "mesh")))));
            }
        } else {
            KubernetesSettings settings = ((MeshSourceSpec.Kubernetes) options.source()).settings()
                    .withConverterOptions(converterOptions);
            store = new RegistryStore(converterOptions.defaultMeshConfig());
            pipeline = new PushPipeline(MeshState.of(store.current(), generator, noDecisions), metrics,
                    options.push(), scopeLearning, Optional.of(learningMetrics));
            subscription = store.subscribe(pipeline::onUpdate);
            KubernetesSource kube;
            try {
                kube = KubernetesSource.start(settings, store);
            } catch (RuntimeException e) {
                subscription.close();
                pipeline.close();
                keeper.close();
                learningScheduler.shutdownNow();
                throw e;
            }
            this.source = kube;
            this.sourceReady = kube::isSynced;
            this.sourceDetail = () -> "";
        }

        warmStart = new WarmStart(pipeline, sourceReady, options.push().warmStartBudget(), UNCLAIMED_AFTER,
                Runtime.getRuntime().availableProcessors(), Clock.systemUTC());
        connections = new ConnectionRegistry();
        AtomicInteger threadIds = new AtomicInteger();
        streamPool = Executors.newFixedThreadPool(options.streamThreads(), r -> {
            Thread t = new Thread(r, "meshpilot-xds-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        refusals = new AuthRefusals(prometheus, Clock.systemUTC());
        ResourceLimits limits = options.limits();
        Rejections rejections = new Rejections(prometheus);
        streamTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshpilot-xds-timer");
            t.setDaemon(true);
            return t;
        });
        // The debug port starts after the xDS port; until then istio.io/debug pages say so.
        AtomicReference<DebugServer> debugPages = new AtomicReference<>();
        AdsService ads = new AdsService(pipeline, connections, metrics, streamPool, StreamLimits.of(limits),
                rejections, streamTimer,
                new IstioDebugXds(connections, () -> pipeline.state().version(), page -> {
                    DebugServer pages = debugPages.get();
                    return pages == null ? "the debug endpoints are not started yet" : pages.page(page);
                }), refusals);
        keeper.addListener(pipeline);
        pipeline.startLearning(!keeper.ledger().isEmpty());
        accessLog = new AccessLogLearning(() -> pipeline.state().snapshot(), keeper, options.learning(),
                learningMetrics, learningScheduler, Clock.systemUTC());
        accessLog.start();
        transportGuard = new XdsTransportGuard(limits, rejections);
        metrics.gauge("meshpilot_xds_connections", "Open connections on the xDS ports.",
                transportGuard::openConnections);
        // Both ports share the transport limits (connections, streams per connection, new-stream rate, sizes).
        ServerServiceDefinition guardedAds = ServerInterceptors.intercept(ads.bindable(),
                transportGuard.newStreamRate(), transportGuard.streamsPerConnection());
        ServerServiceDefinition guardedAccessLog = ServerInterceptors.intercept(accessLog.service(),
                transportGuard.streamsPerConnection());
        Server plain = null;
        if (options.xdsPort() >= 0) {
            plain = transportGuard.apply(NettyServerBuilder.forAddress(new InetSocketAddress(options.xdsAddress(),
                    options.xdsPort()))).addService(guardedAds).addService(guardedAccessLog).build();
        }
        grpc = plain;
        if (grpc != null) {
            try {
                grpc.start();
            } catch (IOException e) {
                close();
                throw new IOException("cannot listen for xDS on " + options.xdsAddress() + ":" + options.xdsPort()
                        + ": " + e.getMessage(), e);
            }
        }
        AuthenticatedXdsPort tlsPort = null;
        if (options.auth().enabled()) {
            Optional<KubernetesSettings> kube = options.source() instanceof MeshSourceSpec.Kubernetes k
                    ? Optional.of(k.settings()) : Optional.empty();
            try {
                tlsPort = AuthenticatedXdsPort.start(options.auth(), kube, refusals,
                        List.of(guardedAds, guardedAccessLog),
                        (address, credentials) -> transportGuard.apply(NettyServerBuilder.forAddress(address,
                                credentials)));
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }
        secure = tlsPort;
        try {
            debug = new DebugServer(new InetSocketAddress(options.debugAddress(), options.debugPort()), connections,
                    pipeline, prometheus, () -> ready && sourceReady.getAsBoolean() && warmStart.finished(),
                    () -> readyDetail(sourceDetail.get(), warmStart.isOff() ? "" : warmStart.describe()),
                    keeper::ledger, refusals, options.limits().debug());
            debugPages.set(debug);
        } catch (IllegalArgumentException e) {
            close();
            throw e;
        } catch (IOException e) {
            close();
            throw new IOException("cannot listen for debug HTTP on " + options.debugAddress() + ":"
                    + options.debugPort() + ": " + e.getMessage(), e);
        }
        ready = true;
        warmStart.start();
        if (options.source() instanceof MeshSourceSpec.Directory) {
            // The directory was loaded above, so the server is ready once warm: return then (the xDS ports already
            // answer, from what is warm and on demand). A Kubernetes source returns at once and turns ready later.
            try {
                warmStart.await(options.push().warmStartBudget().plusSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@code /ready}'s lines after the verdict: the mesh source's health, then the warm start's progress (empty when
     * the warm start is off).
     */
    private static String readyDetail(String source, String warm) {
        String sourceLine = source.isEmpty() ? "" : "source: " + source;
        if (warm.isEmpty()) {
            return sourceLine;
        }
        return sourceLine.isEmpty() ? warm : sourceLine + "\n" + warm;
    }

    /**
     * Loads the registry, starts watching it and listens on both ports. With a Kubernetes source it returns at
     * once and {@code /ready} turns 200 when the initial lists have synced.
     *
     * @throws IllegalArgumentException when the registry directory does not exist
     * @throws dev.meshpilot.kube.apiserver.KubernetesAccessException when the kubeconfig or context does not exist
     * @throws IOException              when a port cannot be bound
     */
    public static MeshpilotServer start(ServerOptions options) throws IOException {
        return new MeshpilotServer(options);
    }

    /** The plaintext xDS port, -1 when it is off. */
    public int xdsPort() {
        return grpc == null ? -1 : grpc.getPort();
    }

    /** The authenticated TLS xDS port, -1 when it is off. */
    public int xdsTlsPort() {
        return secure == null ? -1 : secure.port();
    }

    /** Refused calls on the authenticated port (counted and kept for {@code /debug/authz}). */
    public AuthRefusals authRefusals() {
        return refusals;
    }

    public InetSocketAddress debugAddress() {
        return debug.address();
    }

    public PushPipeline pipeline() {
        return pipeline;
    }

    public ConnectionRegistry connections() {
        return connections;
    }

    /** The dependency ledger and its store: {@code ledger()} for the current ledger, listeners for changes. */
    public LedgerKeeper ledgerKeeper() {
        return keeper;
    }

    /** The access-log service's buffer and streams. */
    public AccessLogLearning accessLog() {
        return accessLog;
    }

    /** Blocks until the server is shut down. */
    public void awaitTermination() throws InterruptedException {
        if (grpc != null) {
            grpc.awaitTermination();
        }
        if (secure != null) {
            secure.server().awaitTermination();
        }
    }

    private static void report(LoadResult result) {
        for (ConversionProblem p : result.problems()) {
            LOG.warning(() -> "registry: " + p);
        }
    }

    /**
     * Stops accepting streams, ends the open ones with UNAVAILABLE (ADS streams never end by themselves; clients
     * reconnect), waits up to 2 s for them to close, then stops everything else.
     */
    @Override
    public void close() {
        ready = false;
        List<Server> servers = new java.util.ArrayList<>();
        if (grpc != null) {
            servers.add(grpc);
        }
        if (secure != null) {
            servers.add(secure.server());
        }
        servers.forEach(Server::shutdown);
        if (!servers.isEmpty()) {
            if (connections != null) {
                connections.all().forEach(c -> c.terminate(SHUTDOWN));
            }
            if (accessLog != null) {
                accessLog.endStreams(SHUTDOWN);
            }
            for (Server server : servers) {
                try {
                    if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                        server.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    server.shutdownNow();
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (secure != null) {
            secure.close();
        }
        if (transportGuard != null) {
            transportGuard.close();
        }
        if (streamTimer != null) {
            streamTimer.shutdownNow();
        }
        if (debug != null) {
            debug.close();
        }
        if (accessLog != null) {
            accessLog.close();
        }
        if (keeper != null) {
            keeper.close();
        }
        if (learningScheduler != null) {
            learningScheduler.shutdownNow();
        }
        if (processMetrics != null) {
            processMetrics.close();
        }
        if (subscription != null) {
            subscription.close();
        }
        try {
            source.close();
        } catch (Exception e) {
            LOG.warning(() -> "closing the mesh source failed: " + e);
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (streamPool != null) {
            streamPool.shutdownNow();
        }
    }
}
