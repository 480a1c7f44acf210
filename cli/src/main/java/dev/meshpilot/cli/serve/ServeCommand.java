package dev.meshpilot.cli.serve;

import dev.meshpilot.cli.KubeSourceOptions;
import dev.meshpilot.cli.UserException;
import dev.meshpilot.cli.recommend.DurationConverter;
import dev.meshpilot.core.ledger.EvidenceReader;
import dev.meshpilot.insight.evidence.prometheus.PrometheusEvidence;
import dev.meshpilot.kube.apiserver.KubernetesAccessException;
import dev.meshpilot.kube.apiserver.KubernetesSettings;
import dev.meshpilot.kube.apply.WriteMethod;
import dev.meshpilot.server.MeshSourceSpec;
import dev.meshpilot.server.MeshpilotServer;
import dev.meshpilot.server.ServerOptions;
import dev.meshpilot.server.learn.LearningOptions;
import dev.meshpilot.xds.generate.GeneratorOptions;
import dev.meshpilot.server.learn.ScopingMode;
import dev.meshpilot.server.learn.ScopingOptions;
import dev.meshpilot.server.push.PushSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code meshpilot serve}: the control plane on a watched directory of manifests (the bundled bookinfo example
 * when none is given). Runs until SIGTERM/SIGINT, then stops accepting streams and shuts down in order.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve xDS (ADS, state of the world and delta) for a mesh read from a directory of manifests "
                + "or a Kubernetes API server.",
                "Learns which services each workload calls from Envoy access logs (the access-log service, "
                        + "envoy.service.accesslog.v3, is always served on the xDS port) into a dependency ledger, "
                        + "shown at /debug/ledgerz. No ledger store is configured: the ledger lives in memory and "
                        + "is lost on restart."})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--registry", paramLabel = "DIR",
            description = "Directory of Kubernetes manifests, watched for changes (default: examples/bookinfo).")
    Path registry;

    @Mixin
    KubeSourceOptions kubeSource;

    @Mixin
    RegistryWatchFlags registryWatch = new RegistryWatchFlags();

    @Mixin
    LimitsFlags limitsFlags = new LimitsFlags();

    @Option(names = "--xds-address", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address for plaintext (unauthenticated) xDS gRPC; loopback unless you say otherwise "
                    + "(default: ${DEFAULT-VALUE}).")
    String xdsAddress;

    @Option(names = "--xds-port", paramLabel = "PORT", defaultValue = "15010",
            description = "xDS gRPC port, plaintext and unauthenticated: for local use; -1 turns it off "
                    + "(default: ${DEFAULT-VALUE}).")
    int xdsPort;

    @Mixin
    XdsAuthFlags xdsAuth;

    @Option(names = "--debug-address", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address for debug endpoints and metrics (default: ${DEFAULT-VALUE}).")
    String debugAddress;

    @Option(names = "--debug-port", paramLabel = "PORT", defaultValue = "15014",
            description = "Port for debug endpoints and metrics (default: ${DEFAULT-VALUE}).")
    int debugPort;

    @Option(names = "--system-namespace", paramLabel = "NS", defaultValue = "istio-system",
            description = "The control plane's namespace, holding the istio MeshConfig ConfigMap (default: ${DEFAULT-VALUE}).")
    String systemNamespace;

    @Option(names = "--debounce-after", paramLabel = "DURATION", defaultValue = "100ms",
            description = "Quiet period before a batch of changes is pushed, e.g. 100ms, 1s (default: ${DEFAULT-VALUE}).")
    String debounceAfter;

    @Option(names = "--debounce-max", paramLabel = "DURATION", defaultValue = "10s",
            description = "Longest a batch of changes waits before it is pushed (default: ${DEFAULT-VALUE}).")
    String debounceMax;

    @Option(names = "--warm-start-budget", paramLabel = "DURATION", defaultValue = "30s",
            description = "Before reporting ready, generate the configuration of the scopes the registry's pods will "
                    + "ask for, for at most this long (0: serve on demand only; default: ${DEFAULT-VALUE}).")
    String warmStartBudget;

    @Option(names = "--max-scope-services", paramLabel = "N", defaultValue = "5000",
            description = "Report (warn once a minute per scope, count in meshpilot_scope_services_over_bound_total) "
                    + "a proxy whose scope holds more services than this; it is still served whole (default: "
                    + "${DEFAULT-VALUE}).")
    int maxScopeServices;

    @Option(names = "--push-concurrency", paramLabel = "N",
            description = "Threads that send pushes to streams (default: min(15 + 5 x cores, 100)).")
    Integer pushConcurrency;

    @Option(names = "--access-log-flush-interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "How often access-log entries, coalesced per caller and destination, are merged into the "
                    + "ledger (default: ${DEFAULT-VALUE}).")
    String accessLogFlushInterval;

    @Option(names = "--access-log-buffer", paramLabel = "N", defaultValue = "10000",
            description = "Distinct (workload, destination, protocol) edges buffered between flushes; entries of "
                    + "further edges are dropped and counted (default: ${DEFAULT-VALUE}).")
    int accessLogBuffer;

    @Option(names = "--ledger-save-interval", paramLabel = "DURATION", defaultValue = "1m",
            description = "How often the ledger is saved to its store, when one is configured; it is also saved "
                    + "on shutdown (default: ${DEFAULT-VALUE}).")
    String ledgerSaveInterval;

    @Option(names = "--evidence-poll-interval", paramLabel = "DURATION", defaultValue = "1m",
            description = "How often polled evidence sources are read, when any are configured "
                    + "(default: ${DEFAULT-VALUE}).")
    String evidencePollInterval;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Keep the dependency ledger in DIR (one file per workload, atomic writes) so a restart loses "
                    + "nothing. With --kube the ledger lives in the cluster (WorkloadDependencies, meshpilot.dev) "
                    + "unless --state-dir is given.")
    Path stateDir;

    @Option(names = "--prometheus", paramLabel = "URL",
            description = "Also learn from Istio's standard metrics in this Prometheus server, polled every "
                    + "--evidence-poll-interval over --window.")
    String prometheus;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "7d", converter = DurationConverter.class,
            description = "How far back --prometheus is read (whole days). Default: ${DEFAULT-VALUE}.")
    Duration window;

    @Option(names = "--access-log-cluster", paramLabel = "NAME", defaultValue = "xds-grpc",
            description = "The control-plane cluster of the proxies' bootstrap that generated access-log config sends "
                    + "through (istio-agent's is xds-grpc). Default: ${DEFAULT-VALUE}.")
    String accessLogCluster;

    @Option(names = "--access-log-sample", paramLabel = "FRACTION", defaultValue = "0.01",
            description = "Share of in-scope requests and connections sidecars log to meshpilot (evidence of use for "
                    + "expiry); fallback paths are always logged. 0 turns sampling off. Default: ${DEFAULT-VALUE}.")
    double accessLogSample;

    @Option(names = "--kube-write", paramLabel = "apply|replace", defaultValue = "apply",
            description = "With --kube, how the ledger's WorkloadDependencies are written: apply (server-side apply, "
                    + "field manager meshpilot) or replace (conditional create/replace, for API servers without "
                    + "server-side apply, such as fabric8's mock). Default: ${DEFAULT-VALUE}.")
    String kubeWrite;

    @Option(names = "--replica-id", paramLabel = "NAME",
            description = "This replica's name in the ledger's per-reporter counts; keep it stable across restarts "
                    + "(default: $HOSTNAME, else meshpilot).")
    String replicaId;

    @Option(names = "--scoping", paramLabel = "MODE", defaultValue = "shadow",
            description = "learned: serve each proxy its learned scope (never wider than Istio's; a hand-written "
                    + "Sidecar wins); shadow: serve Istio's scope and report what learning would serve; off: no "
                    + "learned scopes. A namespace label " + ScopingMode.NAMESPACE_LABEL + " overrides it "
                    + "(default: ${DEFAULT-VALUE}).")
    String scoping;

    @Option(names = "--learning-reevaluate-interval", paramLabel = "DURATION", defaultValue = "5m",
            description = "How often learned scopes are re-evaluated: the only time they narrow (widening is "
                    + "immediate) (default: ${DEFAULT-VALUE}).")
    String learningReevaluateInterval;

    @Override
    public Integer call() throws Exception {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %5$s%6$s%n");
        }
        PrintWriter out = spec.commandLine().getOut();
        MeshSourceSpec source = source();
        LedgerStores.Opened ledgerStore = LedgerStores.open(stateDir, source, kubeWrites());
        PushSettings push;
        int threads = pushConcurrency == null ? ServerOptions.defaultStreamThreads() : pushConcurrency;
        ServerOptions options;
        try {
            push = new PushSettings(Durations.parse("--debounce-after", debounceAfter),
                    Durations.parse("--debounce-max", debounceMax), maxScopeServices,
                    Durations.parse("--warm-start-budget", warmStartBudget));
            LearningOptions learning = learning();
            if (ledgerStore.store().isPresent()) {
                learning = learning.withStore(ledgerStore.store().get());
            }
            options = new ServerOptions(source, xdsAddress, xdsPort, debugAddress, debugPort, systemNamespace, push,
                    threads, learning, scopingOptions())
                    .withAuth(xdsAuth.options(Optional.ofNullable(stateDir), source instanceof MeshSourceSpec.Kubernetes))
                    .withRegistry(registryWatch.options()).withLimits(limitsFlags.limits());
        } catch (IllegalArgumentException e) {
            ledgerStore.close();
            throw new UserException(e.getMessage());
        } catch (UserException e) {
            ledgerStore.close();
            throw e;
        }
        MeshpilotServer server;
        try {
            server = MeshpilotServer.start(options);
        } catch (IOException | KubernetesAccessException | IllegalArgumentException e) {
            ledgerStore.close();
            throw new UserException(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.err.println("meshpilot: shutting down");
            server.close();
            ledgerStore.close();
            stopped.countDown();
        }, "meshpilot-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("meshpilot serving %s: xDS on %s, debug on http://%s:%d%n", source.describe(),
                (server.xdsPort() < 0 ? "" : xdsAddress + ":" + server.xdsPort() + " (plaintext, unauthenticated)")
                        + (server.xdsPort() >= 0 && server.xdsTlsPort() >= 0 ? " and " : "")
                        + (server.xdsTlsPort() < 0 ? "" : options.auth().tlsAddress() + ":" + server.xdsTlsPort()
                        + " (TLS, authenticated)"),
                server.debugAddress().getHostString(), server.debugAddress().getPort());
        out.printf("learning from Envoy access logs on the xDS port; ledger kept in %s; scoping %s (re-evaluated"
                        + " every %s)%n", server.ledgerKeeper().describeStore(), options.scoping().defaultMode().label(),
                options.scoping().reevaluateInterval());
        out.flush();
        server.awaitTermination();
        stopped.await();
        return 0;
    }

    /**
     * Learning as the flags say: the access-log service's flush and buffer, the intervals of saving and polling, and
     * the polled sources ({@code --prometheus}). The ledger store is added by the caller, which owns its client.
     */
    LearningOptions learning() {
        if (accessLogBuffer < 1) {
            throw new IllegalArgumentException("--access-log-buffer " + accessLogBuffer + ": must be at least 1");
        }
        if (replicaId != null && replicaId.isBlank()) {
            throw new IllegalArgumentException("--replica-id must not be blank");
        }
        return LearningOptions.inMemory()
                .withReplicaId(replicaId == null ? LearningOptions.defaultReplicaId() : replicaId)
                .withIntervals(positive("--access-log-flush-interval", accessLogFlushInterval),
                        positive("--ledger-save-interval", ledgerSaveInterval))
                .withReaders(readers(), positive("--evidence-poll-interval", evidencePollInterval))
                .withBounds(accessLogBuffer, LearningOptions.DEFAULT_MAX_ENTRIES_PER_MESSAGE);
    }

    private WriteMethod kubeWrites() {
        return switch (kubeWrite) {
            case "apply" -> WriteMethod.SERVER_SIDE_APPLY;
            case "replace" -> WriteMethod.REPLACE;
            default -> throw new UserException("--kube-write must be apply or replace, got '" + kubeWrite + "'");
        };
    }

    private List<EvidenceReader> readers() {
        if (prometheus == null) {
            return List.of();
        }
        try {
            return List.of(PrometheusEvidence.of(new URI(prometheus), window));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--prometheus '" + prometheus + "' is not a URL: " + e.getReason());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--prometheus " + prometheus + ": " + e.getMessage());
        }
    }

    /** Learned scopes as {@code --scoping} and {@code --learning-reevaluate-interval} say. */
    ScopingOptions scopingOptions() {
        ScopingMode mode = ScopingMode.parse(scoping).orElseThrow(() -> new IllegalArgumentException(
                "--scoping '" + scoping + "': must be one of " + ScopingMode.choices()));
        if (accessLogSample < 0 || accessLogSample > 1) {
            throw new IllegalArgumentException("--access-log-sample " + accessLogSample + ": must be between 0 and 1");
        }
        if (accessLogCluster.isBlank()) {
            throw new IllegalArgumentException("--access-log-cluster must not be blank");
        }
        return ScopingOptions.defaults().withMode(mode)
                .withReevaluateInterval(positive("--learning-reevaluate-interval", learningReevaluateInterval))
                .withTelemetry(GeneratorOptions.learning().withControlPlaneCluster(accessLogCluster)
                        .withInScopeSampleRate(accessLogSample));
    }

    private static Duration positive(String option, String text) {
        Duration d = Durations.parse(option, text);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " '" + text + "': must be longer than zero");
        }
        return d;
    }

    private MeshSourceSpec source() {
        kubeSource.checkFlags();
        if (kubeSource.enabled()) {
            if (registry != null) {
                throw new UserException("--kube and --registry cannot be combined: choose one source of the mesh");
            }
            return new MeshSourceSpec.Kubernetes(kubeSource.settings(KubernetesSettings.defaults()));
        }
        Path dir = registry != null ? registry : BundledExamples.bookinfo();
        if (!Files.isDirectory(dir)) {
            throw new UserException("--registry " + dir + ": no such directory");
        }
        return new MeshSourceSpec.Directory(dir);
    }

    /** Parses {@code 100ms}, {@code 2s}, {@code 1m} or an ISO-8601 duration. */
    static final class Durations {
        private Durations() {
        }

        static Duration parse(String option, String text) {
            String t = text.trim();
            if (t.equals("0")) {
                return Duration.ZERO;
            }
            try {
                if (t.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
                }
                if (t.endsWith("s")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
                }
                if (t.endsWith("m")) {
                    return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
                }
                return Duration.parse(t);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(option + " '" + text + "': expected a duration such as 100ms, 2s or 1m");
            }
        }
    }
}
