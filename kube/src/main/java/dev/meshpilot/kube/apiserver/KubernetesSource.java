package dev.meshpilot.kube.apiserver;

import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.core.registry.SnapshotUpdate;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.ConverterOptions;
import dev.meshpilot.kube.convert.KubeObjectConverter;
import dev.meshpilot.kube.convert.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The mesh as a Kubernetes API server holds it, kept in a {@link RegistryStore}: fabric8 shared informers on
 * Namespaces, Services, EndpointSlices, Pods, the control plane's {@code istio} ConfigMap and the Istio kinds
 * (Sidecar, ServiceEntry, VirtualService, DestinationRule at the newest served version of
 * {@code networking.istio.io}), every object converted by the same converters as manifest files.
 *
 * <p>Behaviour users and the server rely on:
 * <ul>
 *   <li>Nothing reaches the store until every initial list has synced; then the whole mesh arrives as one
 *       snapshot and {@link #isSynced()} turns true (the server's {@code /ready}).</li>
 *   <li>Later changes are applied as they arrive; changes that arrive together become one snapshot.</li>
 *   <li>Watch errors, 410 Gone and API-server outages keep the last state in the store. fabric8 retries with
 *       exponential backoff; a watch that stays down is replaced by a fresh list and watch, so that changes made
 *       during the outage (deletions too) are picked up. Each outage is logged once when it starts and once when
 *       it ends.</li>
 *   <li>An object that does not convert is logged once (kind, namespace/name, field) and skipped; its last good
 *       version, if any, stays.</li>
 *   <li>Discovery selectors of the MeshConfig limit which namespaces' objects are taken (R12).</li>
 * </ul>
 *
 * <p>One worker thread owns all state; informer callbacks only queue what changed. Thread-safe.
 */
public final class KubernetesSource implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KubernetesSource.class.getName());
    private static final Duration MONITOR_INTERVAL = Duration.ofMillis(250);
    private static final int MAX_BACKOFF_FACTOR = 32;

    private final KubernetesClient client;
    private final boolean ownsClient;
    private final RegistryStore store;
    private final Duration retryInterval;
    private final Duration lostAfter;
    private final Duration rediscoveryInterval;
    private final Clock clock;
    private final MeshAssembler assembler;
    private final ScheduledExecutorService worker;
    private final Map<String, KindWatch> watches = new LinkedHashMap<>();
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final CompletableFuture<Void> synced = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile boolean initialSyncDone;
    private volatile KubernetesSourceStatus status;

    // owned by the worker thread
    private boolean discoveryDone;
    private int discoveryFailures;
    private Instant nextRediscovery = Instant.MIN;
    private final Instant startedAt;
    private Outage outage;

    private KubernetesSource(KubernetesClient client, boolean ownsClient, ConverterOptions options,
                             RegistryStore store, Duration retryInterval, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.store = Objects.requireNonNull(store, "store");
        this.retryInterval = Objects.requireNonNull(retryInterval, "retryInterval");
        this.lostAfter = max(Duration.ofSeconds(2), retryInterval.multipliedBy(5));
        this.rediscoveryInterval = retryInterval.multipliedBy(30); // 30 s with the default retry interval
        this.clock = clock;
        this.assembler = new MeshAssembler(new KubeObjectConverter(options));
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "meshpilot-kube-source");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.worker = executor;
        this.startedAt = clock.instant();
        for (WatchedKind kind : WatchedKind.coreKinds(options.systemNamespace())) {
            watches.put(kind.kind(), new KindWatch(kind.kind(), Optional.of(kind)));
        }
        for (WatchedKind.IstioKind istio : WatchedKind.ISTIO_KINDS) {
            watches.put(istio.kind(), new KindWatch(istio.kind(), Optional.empty()));
        }
        this.status = buildStatus();
    }

    /**
     * Connects as the settings say ({@code --kubeconfig}, {@code --context}, or in-cluster) and starts following
     * the API server into {@code store}. Returns at once; see {@link #isSynced()} and {@link #awaitSynced}.
     *
     * @throws KubernetesAccessException when the kubeconfig or context does not exist
     */
    public static KubernetesSource start(KubernetesSettings settings, RegistryStore store) {
        KubernetesClient client = KubernetesClients.connect(settings);
        return start(client, true, settings, store);
    }

    /**
     * Follows the API server of an existing client (tests, embedding); the client stays open on {@link #close()}.
     * The client's own reconnect settings apply to its watches.
     */
    public static KubernetesSource start(KubernetesClient client, KubernetesSettings settings, RegistryStore store) {
        return start(client, false, settings, store);
    }

    private static KubernetesSource start(KubernetesClient client, boolean owns, KubernetesSettings settings,
                                          RegistryStore store) {
        KubernetesSource source = new KubernetesSource(client, owns, settings.converterOptions(), store,
                settings.retryInterval(), Clock.systemUTC());
        source.worker.execute(source.guarded("start", source::startAll));
        source.worker.scheduleWithFixedDelay(source.guarded("monitor", source::monitor),
                MONITOR_INTERVAL.toMillis(), MONITOR_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return source;
    }

    /** True once every initial list has synced and the mesh was handed to the store; stays true afterwards. */
    public boolean isSynced() {
        return initialSyncDone;
    }

    /** Completes when the initial lists have synced (see {@link #isSynced()}). */
    public CompletionStage<Void> synced() {
        return synced.minimalCompletionStage();
    }

    /** Waits for the initial sync; returns false when it did not happen in time. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        try {
            synced.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** What the source is doing now: sync, API reachability, the version read per kind, problems. */
    public KubernetesSourceStatus status() {
        return status;
    }

    /** The objects currently skipped because they do not convert, one message each. */
    public List<ConversionProblem> problems() {
        return status.problems();
    }

    /** Stops the informers; the store keeps the last state. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            worker.submit(() -> watches.values().forEach(KindWatch::stop)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "kubernetes: stopping informers", e);
        }
        worker.shutdownNow();
        synced.completeExceptionally(new IllegalStateException("source closed"));
        if (ownsClient) {
            client.close();
        }
    }

    // ---------------------------------------------------------------- worker thread

    private void startAll() {
        for (KindWatch watch : watches.values()) {
            if (watch.kind.isPresent()) {
                startInformer(watch);
            }
        }
        discoverIstioKinds();
    }

    private void discoverIstioKinds() {
        if (closed) {
            return;
        }
        List<IstioApiDiscovery.Served> served;
        try {
            served = IstioApiDiscovery.discover(client);
        } catch (KubernetesClientException e) {
            discoveryFailures++;
            beginOutage("discovery of " + WatchedKind.ISTIO_GROUP + " failed: " + describe(e));
            long delay = retryInterval.toMillis() * Math.min(MAX_BACKOFF_FACTOR, 1L << Math.min(5, discoveryFailures - 1));
            worker.schedule(guarded("discovery", this::discoverIstioKinds), delay, TimeUnit.MILLISECONDS);
            return;
        }
        discoveryFailures = 0;
        boolean first = !discoveryDone;
        discoveryDone = true;
        nextRediscovery = clock.instant().plus(rediscoveryInterval);
        List<String> notServed = new ArrayList<>();
        for (IstioApiDiscovery.Served s : served) {
            KindWatch watch = watches.get(s.kind());
            if (s.watched().isPresent() && watch.kind.isEmpty()) {
                watch.kind = s.watched();
                startInformer(watch);
                if (!first) {
                    LOG.log(Level.INFO, "kubernetes: " + s.watched().get() + " is now served; watching it");
                }
            } else if (s.watched().isEmpty()) {
                watch.state = State.NOT_SERVED;
                notServed.add(s.kind());
            }
        }
        if (first && !notServed.isEmpty()) {
            LOG.log(Level.WARNING, "kubernetes: " + WatchedKind.ISTIO_GROUP + " does not serve " + notServed
                    + " at " + WatchedKind.ISTIO_VERSIONS + " (Istio CRDs not installed?); these kinds are treated as"
                    + " empty and looked for again every " + human(rediscoveryInterval)
                    + " (deploy/without-istio/ installs them)");
        }
        afterStateChange();
    }

    private void startInformer(KindWatch watch) {
        if (closed) {
            return;
        }
        watch.stop();
        WatchedKind kind = watch.kind.orElseThrow();
        int generation = ++watch.generation;
        SharedIndexInformer<GenericKubernetesResource> informer = kind.informable(client).runnableInformer(0);
        informer.exceptionHandler((started, failure) -> {
            if (closed) {
                return false;
            }
            execute("failure", () -> onFailure(watch, generation, failure));
            return true; // keep retrying, with fabric8's exponential backoff
        });
        informer.addEventHandler(new Events(kind));
        watch.informer = informer;
        watch.state = State.SYNCING;
        watch.watchDownSince = null;
        informer.start().whenComplete((ignored, failure) ->
                execute("informer start", () -> onInformerStarted(watch, generation, failure)));
    }

    private void onInformerStarted(KindWatch watch, int generation, Throwable failure) {
        if (closed || generation != watch.generation) {
            return;
        }
        if (failure != null) {
            beginOutage(watch.name + " list failed: " + describe(failure));
            worker.schedule(guarded("restart", () -> {
                if (generation == watch.generation) {
                    startInformer(watch);
                }
            }), retryInterval.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        watch.state = State.WATCHING;
        if (isSynced()) {
            apply(Set.of(watch.kind.orElseThrow()), Map.of());
        }
        afterStateChange();
    }

    private void onFailure(KindWatch watch, int generation, Throwable failure) {
        if (generation == watch.generation) {
            beginOutage(watch.name + ": " + describe(failure));
        }
    }

    /** Completes the initial sync when everything has listed, and ends an outage when everything watches again. */
    private void afterStateChange() {
        boolean allListed = discoveryDone && watches.values().stream()
                .allMatch(w -> w.state == State.WATCHING || w.state == State.NOT_SERVED);
        if (allListed && !initialSyncDone) {
            apply(new HashSet<>(readableKinds()), Map.of());
            initialSyncDone = true;
            if (outage != null) {
                outage = outage.withRelistedAll(); // everything was just listed
            }
            status = buildStatus();
            synced.complete(null);
            LOG.log(Level.INFO, "kubernetes: initial lists synced in "
                    + Duration.between(startedAt, clock.instant()).toMillis() + " ms: " + assembler.objectCount()
                    + " objects, registry version " + store.current().version() + ", " + istioVersions());
        }
        if (allListed && outage != null && watches.values().stream().allMatch(KindWatch::healthy)) {
            if (!outage.relistedAll()) {
                // Watches that looked alive through the outage may sit on dead connections or have missed
                // events: every outage ends with a fresh list and watch of every kind.
                relistAll();
            } else {
                LOG.log(Level.INFO, "kubernetes: API server reachable again after "
                        + Duration.between(outage.since, clock.instant()).toMillis() + " ms; relisted and serving"
                        + " registry version " + store.current().version());
                outage = null;
            }
        }
        status = buildStatus();
    }

    private void monitor() {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        List<KindWatch> lost = new ArrayList<>();
        for (KindWatch watch : watches.values()) {
            if (watch.state != State.WATCHING || watch.informer == null) {
                continue;
            }
            if (watch.informer.isWatching()) {
                watch.watchDownSince = null;
            } else if (watch.watchDownSince == null) {
                watch.watchDownSince = now;
            } else if (Duration.between(watch.watchDownSince, now).compareTo(lostAfter) >= 0) {
                beginOutage("the watch of " + watch.name + " is down since " + watch.watchDownSince);
                lost.add(watch);
            }
        }
        if (!lost.isEmpty() && !outage.relistedAll()) {
            // An API server that dropped one watch may have dropped them all, and a watch on a dead connection
            // can look alive for a while: list and watch every kind afresh, once per outage.
            relistAll();
        } else {
            lost.forEach(this::startInformer); // a fresh list catches what the broken watch missed
        }
        if (discoveryDone && isSynced() && now.isAfter(nextRediscovery)
                && watches.values().stream().anyMatch(w -> w.state == State.NOT_SERVED)) {
            discoverIstioKinds();
        }
        afterStateChange();
    }

    private void relistAll() {
        outage = outage.withRelistedAll();
        LOG.log(Level.INFO, "kubernetes: listing and watching every kind afresh after the outage");
        for (KindWatch watch : watches.values()) {
            if (watch.kind.isPresent() && watch.state != State.NOT_SERVED) {
                startInformer(watch);
            }
        }
    }

    private void drain() {
        drainScheduled.set(false);
        Map<String, Set<ObjectRef>> byKind = new HashMap<>();
        for (Pending p = pending.poll(); p != null; p = pending.poll()) {
            byKind.computeIfAbsent(p.kind(), k -> new HashSet<>()).add(p.ref());
        }
        if (!isSynced() || byKind.isEmpty()) {
            return; // before the initial sync, the full reconcile reads everything anyway
        }
        Map<WatchedKind, Set<ObjectRef>> dirty = new HashMap<>();
        byKind.forEach((kindName, refs) -> {
            KindWatch watch = watches.get(kindName);
            if (watch != null && watch.state == State.WATCHING) {
                dirty.put(watch.kind.orElseThrow(), refs);
            } // a kind being relisted is read in full when its list completes
        });
        apply(Set.of(), dirty);
        status = buildStatus();
    }

    private void apply(Set<WatchedKind> full, Map<WatchedKind, Set<ObjectRef>> dirty) {
        MeshAssembler.Step step = assembler.reconcile(new InformerCaches(), readableKinds(), full, dirty);
        for (ConversionProblem problem : step.newProblems()) {
            LOG.log(problem.isError() ? Level.WARNING : Level.INFO, "kubernetes: " + problem
                    + (problem.isError() ? " (object skipped)" : ""));
        }
        if (!step.changes().isEmpty()) {
            Optional<SnapshotUpdate> update = store.apply(step.changes());
            update.ifPresent(u -> LOG.log(Level.DEBUG, "kubernetes: registry " + u.changes()));
        }
    }

    private List<WatchedKind> readableKinds() {
        List<WatchedKind> out = new ArrayList<>();
        for (KindWatch watch : watches.values()) {
            if (watch.state == State.WATCHING) {
                out.add(watch.kind.orElseThrow());
            }
        }
        return out;
    }

    private void beginOutage(String cause) {
        if (outage == null) {
            outage = new Outage(clock.instant(), cause, false);
            LOG.log(Level.WARNING, "kubernetes: " + cause + "; keeping the last state (registry version "
                    + store.current().version() + "), retrying with backoff from " + human(retryInterval)
                    + " (logged once until the API server is back)");
        }
        status = buildStatus();
    }

    private KubernetesSourceStatus buildStatus() {
        Map<String, String> kinds = new LinkedHashMap<>();
        for (KindWatch watch : watches.values()) {
            String version = watch.kind.map(WatchedKind::apiVersion).orElse("-");
            String state = watch.state == State.WATCHING && !watch.healthy() ? "reconnecting"
                    : watch.state.name().toLowerCase(java.util.Locale.ROOT);
            kinds.put(watch.name, version + " " + state);
        }
        Outage now = outage;
        return new KubernetesSourceStatus(isSynced(), now == null, Optional.ofNullable(now).map(Outage::since),
                Optional.ofNullable(now).map(Outage::cause), kinds, assembler.objectCount(), assembler.problems());
    }

    private String istioVersions() {
        List<String> out = new ArrayList<>();
        for (WatchedKind.IstioKind istio : WatchedKind.ISTIO_KINDS) {
            KindWatch watch = watches.get(istio.kind());
            out.add(watch.name + "=" + watch.kind.map(WatchedKind::apiVersion).orElse("not served"));
        }
        return String.join(", ", out);
    }

    // ---------------------------------------------------------------- helpers

    private void execute(String what, Runnable task) {
        if (closed) {
            return;
        }
        try {
            worker.execute(guarded(what, task));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "kubernetes: unexpected failure in " + what + "; continuing", e);
            }
        };
    }

    private String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (t instanceof KubernetesClientException k && k.getStatus() == null && root instanceof java.io.IOException) {
            // no HTTP answer at all: say where we tried, and why it failed
            return "cannot reach the API server at " + client.getMasterUrl() + " (" + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (root != t && (root.getMessage() == null || !message.contains(root.getMessage()))) {
            message += " (" + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
        }
        return message;
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private enum State { DISCOVERING, SYNCING, WATCHING, NOT_SERVED }

    private record Outage(Instant since, String cause, boolean relistedAll) {
        Outage withRelistedAll() {
            return new Outage(since, cause, true);
        }
    }

    private record Pending(String kind, ObjectRef ref) {
    }

    /** One kind and its current informer (replaced after an outage). Worker-owned. */
    private static final class KindWatch {
        final String name;
        Optional<WatchedKind> kind;
        SharedIndexInformer<GenericKubernetesResource> informer;
        State state;
        int generation;
        Instant watchDownSince;

        KindWatch(String name, Optional<WatchedKind> kind) {
            this.name = name;
            this.kind = kind;
            this.state = kind.isPresent() ? State.SYNCING : State.DISCOVERING;
        }

        boolean healthy() {
            return state == State.NOT_SERVED || state == State.WATCHING && informer != null && informer.isWatching();
        }

        void stop() {
            if (informer != null) {
                informer.stop();
                informer = null;
            }
        }
    }

    /** Informer callbacks (fabric8 threads): remember which object changed and wake the worker. */
    private final class Events implements ResourceEventHandler<GenericKubernetesResource> {
        private final WatchedKind kind;

        Events(WatchedKind kind) {
            this.kind = kind;
        }

        @Override
        public void onAdd(GenericKubernetesResource resource) {
            changed(resource);
        }

        @Override
        public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
            changed(after);
        }

        @Override
        public void onDelete(GenericKubernetesResource resource, boolean finalStateUnknown) {
            changed(resource);
        }

        private void changed(GenericKubernetesResource resource) {
            if (resource == null || resource.getMetadata() == null) {
                return;
            }
            pending.add(new Pending(kind.kind(), MeshAssembler.refOf(kind, resource)));
            if (drainScheduled.compareAndSet(false, true)) {
                execute("drain", KubernetesSource.this::drain);
            }
        }
    }

    /** Reads the current objects from the informers' caches. */
    private final class InformerCaches implements MeshAssembler.ObjectSource {
        @Override
        public Collection<GenericKubernetesResource> list(WatchedKind kind) {
            return informerOf(kind).map(i -> i.getStore().list()).orElse(List.of());
        }

        @Override
        public Optional<GenericKubernetesResource> get(WatchedKind kind, ObjectRef ref) {
            String key = ref.namespace().isEmpty() ? ref.name() : ref.namespace() + "/" + ref.name();
            return informerOf(kind).map(i -> i.getStore().getByKey(key));
        }

        private Optional<SharedIndexInformer<GenericKubernetesResource>> informerOf(WatchedKind kind) {
            KindWatch watch = watches.get(kind.kind());
            return watch == null ? Optional.empty() : Optional.ofNullable(watch.informer);
        }
    }
}
