package dev.meshpilot.server.push;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.registry.ChangeSet;
import dev.meshpilot.core.registry.SnapshotUpdate;
import dev.meshpilot.core.scope.InvalidProxyIdentityException;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.server.ads.Attachment;
import dev.meshpilot.server.ads.ConfigUpdate;
import dev.meshpilot.server.ads.ProxyConfigSource;
import dev.meshpilot.server.ads.ProxyConnection;
import dev.meshpilot.server.ads.ResourceSet;
import dev.meshpilot.server.auth.AuthException;
import dev.meshpilot.server.auth.ConnectionAuthorizer;
import dev.meshpilot.server.learn.LearnedSetListener;
import dev.meshpilot.server.learn.LearningDecisions;
import dev.meshpilot.server.learn.OnDemandListeners;
import dev.meshpilot.server.learn.ServedLearning;
import dev.meshpilot.server.metrics.LearningMetrics;
import dev.meshpilot.server.metrics.ServerMetrics;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The path of a change from the registry to the proxies: registry updates are debounced and merged; a released
 * batch builds the next {@link MeshState} (recomputing scopes only when a scope input changed), the planner picks
 * the proxies whose previous or new scope depends on what changed, their resources are generated once per distinct
 * scope, and each gets only the types whose content changed (endpoint-only changes: EDS only). Batches run one at a
 * time on the pipeline's own thread, which is the only writer of the proxy entries besides a stream attaching
 * its own.
 */
public final class PushPipeline implements ProxyConfigSource, LearnedSetListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PushPipeline.class.getName());

    private final ServerMetrics metrics;
    private final ScheduledExecutorService thread;
    /** Plans and generates slices of the proxies of one batch in parallel (the batch itself is one at a time). */
    private final ExecutorService planPool;
    private final int planners;
    private final Debouncer<SnapshotUpdate> debouncer;
    private final ScopeLearning learning;
    private final Optional<LearningMetrics> learningMetrics;
    private final ScopeSizeWatch scopeSize;
    private ScheduledFuture<?> reevaluation;
    /**
     * A restarted server resuming from its loaded ledger re-evaluates after each registry batch until the registry
     * holds workloads (a Kubernetes source starts empty and fills as its informers sync). Pipeline thread only.
     */
    private boolean resumePending;
    private final Map<Long, ProxyEntry> proxies = new ConcurrentHashMap<>();
    /** Proxies detached since the pipeline thread last forgot what they alone used. */
    private final java.util.Queue<ProxyEntry> departed = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean forgetScheduled =
            new java.util.concurrent.atomic.AtomicBoolean();
    private volatile MeshState state;
    private volatile PushSummary lastPush;
    private long pushCount;

    /** {@code initial} carries the generator every later state uses; learned scopes off (unless a namespace says). */
    public PushPipeline(MeshState initial, ServerMetrics metrics, PushSettings settings) {
        this(initial, metrics, settings, ScopeLearning.off(), Optional.empty());
    }

    /**
     * A pipeline that also serves learned scopes: {@code learning} reads the ledger and the clock; re-evaluations
     * start with {@link #startLearning}, widenings arrive through {@link #learnedSetChanged}.
     */
    public PushPipeline(MeshState initial, ServerMetrics metrics, PushSettings settings, ScopeLearning learning,
                        Optional<LearningMetrics> learningMetrics) {
        this.state = initial;
        this.metrics = metrics;
        this.learning = learning;
        this.learningMetrics = learningMetrics;
        this.scopeSize = new ScopeSizeWatch(settings.maxScopeServices(), metrics.registry(), java.time.Clock.systemUTC());
        learningMetrics.ifPresent(m -> m.served(() -> learning.measure().learnedEdges(),
                () -> learning.measure().distinctScopes()));
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshpilot-push");
            t.setDaemon(true);
            return t;
        });
        this.planners = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        this.planPool = Executors.newFixedThreadPool(planners, r -> {
            Thread t = new Thread(r, "meshpilot-plan");
            t.setDaemon(true);
            return t;
        });
        this.debouncer = new Debouncer<>(settings.debounceAfter(), settings.debounceMax(), thread,
                PushPipeline::merge, this::processSafely, System::nanoTime);
        metrics.gauge("meshpilot_connected_proxies", "Proxies with an attached ADS stream.", proxies::size);
        metrics.gauge("pilot_services", "Total services known to pilot.", () -> state.snapshot().services().size());
        metrics.gauge("pilot_virt_services", "Total virtual services known to pilot.",
                () -> state.snapshot().virtualServices().size());
        metrics.gauge("meshpilot_mesh_version", "Version of the mesh snapshot being served.", () -> state.version());
    }

    /** The registry store's listener: counts the trigger and hands the update to the debouncer. */
    public void onUpdate(SnapshotUpdate update) {
        reasons(update.changes()).forEach(metrics::trigger);
        debouncer.add(update);
    }

    /** The state being served. */
    public MeshState state() {
        return state;
    }

    /** Attached proxies, oldest connection first. */
    public List<ProxyEntry> entries() {
        return proxies.values().stream().sorted(Comparator.comparingLong(e -> e.connection().id())).toList();
    }

    /** The first (oldest) attached connection of this proxy ({@code POD.NS}), as the debug views show it. */
    public Optional<ProxyEntry> entry(String proxyId) {
        return proxies.values().stream().filter(e -> e.identity().proxyId().equals(proxyId))
                .min(Comparator.comparingLong(e -> e.connection().id()));
    }

    @Override
    public Attachment attach(ProxyConnection connection) throws RejectedNodeException {
        MeshState s = state;
        ProxyIdentity identity;
        try {
            identity = NodeIdentity.of(connection.node(), s.snapshot());
        } catch (InvalidProxyIdentityException e) {
            throw new RejectedNodeException(e.getMessage());
        }
        if (connection.caller().isPresent()) {
            try {
                ConnectionAuthorizer.check(connection.caller().get(), identity,
                        s.snapshot().findWorkload(identity.podName(), identity.namespace()));
            } catch (AuthException e) {
                throw new RejectedNodeException(e);
            }
        }
        ProxyResources resources;
        ProxyScope scope;
        try {
            scope = s.scopeFor(identity);
            scopeSize.check(identity, scope);
            resources = s.resourcesFor(identity);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "generating config for " + identity.proxyId() + " failed", e);
            throw new RejectedNodeException("internal error while generating its configuration: " + e);
        }
        ResourceSet served = s.served().of(resources);
        proxies.put(connection.id(), new ProxyEntry(connection, identity, scope, resources, served, s.version()));
        if (state != s) {
            thread.execute(() -> refresh(connection.id()));
        }
        return new Attachment(identity.proxyId(), identity.namespace(), served);
    }

    @Override
    public void detach(ProxyConnection connection) {
        ProxyEntry gone = proxies.remove(connection.id());
        if (gone == null) {
            return;
        }
        departed.add(gone);
        if (forgetScheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::forgetDeparted);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                forgetScheduled.set(false); // shutting down: nothing left to bound
            }
        }
    }

    /**
     * After {@code delay}, drops the outbound parts and served sets of the current state that no connected proxy
     * uses (what a {@link WarmStart} made for proxies that never came).
     */
    void forgetUnclaimedLater(java.time.Duration delay) {
        try {
            thread.schedule(() -> {
                int dropped = state.forgetUnclaimed(List.copyOf(proxies.values()));
                if (dropped > 0) {
                    LOG.info(() -> "warm start: dropped " + dropped + " cached parts no proxy claimed");
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    /**
     * Drops what only departed proxies used. Proxies that leave together (a network partition, a node drain, clients
     * restarting) are forgotten in one pass over the remaining ones, not one pass each.
     */
    private void forgetDeparted() {
        forgetScheduled.set(false);
        List<ProxyEntry> gone = new ArrayList<>();
        for (ProxyEntry e = departed.poll(); e != null; e = departed.poll()) {
            gone.add(e);
        }
        if (!gone.isEmpty()) {
            state.forget(gone, List.copyOf(proxies.values()));
        }
    }

    /** Learned scopes: the options, ledger and clock they are computed with, and what they serve now. */
    /** Learning's metrics, when the server counts them. */
    public Optional<LearningMetrics> learningMetrics() {
        return learningMetrics;
    }

    public ScopeLearning learning() {
        return learning;
    }

    /**
     * Starts the periodic re-evaluation of learned scopes (the only time they narrow): the first runs at once when
     * {@code resumeNow} (a loaded ledger: a restarted server serves what it served), else after one interval.
     */
    public void startLearning(boolean resumeNow) {
        long every = learning.options().reevaluateInterval().toNanos();
        reevaluation = thread.scheduleWithFixedDelay(this::reevaluateSafely, every, every, TimeUnit.NANOSECONDS);
        if (resumeNow) {
            thread.execute(() -> {
                resumePending = true;
                reevaluateSafely();
            });
        }
    }

    private void reevaluateSafely() {
        try {
            reevaluate();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "re-evaluating learned scopes failed", e);
        }
    }

    /** The ledger keeper's listener: widen those workloads now, on the pipeline thread, without the debounce. */
    @Override
    public void learnedSetChanged(Set<WorkloadKey> workloads, DependencyLedger ledger) {
        thread.execute(() -> {
            try {
                widen(workloads);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "widening learned scopes of " + workloads + " failed", e);
            }
        });
    }

    /** Re-evaluates learned scopes now, on the pipeline thread; returns when the result was pushed. */
    public PushSummary reevaluateNow() throws InterruptedException {
        return onPipelineThread(this::reevaluate);
    }

    /** Widens the learned scopes of these workloads now, on the pipeline thread; returns when pushed. */
    public PushSummary widenNow(Set<WorkloadKey> workloads) throws InterruptedException {
        return onPipelineThread(() -> widen(workloads));
    }

    private PushSummary onPipelineThread(java.util.concurrent.Callable<PushSummary> work) throws InterruptedException {
        try {
            return thread.submit(work).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("learning push failed", e);
        }
    }

    private PushSummary reevaluate() {
        MeshState old = state;
        ServedLearning next = learning.reevaluate(old);
        if (!next.decisions().isEmpty()) {
            resumePending = false;
        }
        return applyLearning(old, next, "learning-reevaluate");
    }

    private PushSummary widen(Set<WorkloadKey> workloads) {
        MeshState old = state;
        ServedLearning next = learning.widen(old, workloads);
        learning.widenings(old.learning(), next).forEach((w, path) -> {
            learningMetrics.ifPresent(m -> m.widened(path));
            LOG.info(() -> "learning: widened " + w + " (" + path + ")");
        });
        return applyLearning(old, next, "learning-widen");
    }

    /** A change of learning's decisions as a change set of learned-scope keys, planned like any other. */
    private PushSummary applyLearning(MeshState old, ServedLearning decided, String reason) {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        Set<ConfigKey> keys = new TreeSet<>();
        for (WorkloadKey w : LearningDecisions.servedChanges(old.learning(), decided)) {
            keys.add(ConfigKey.of(ConfigKey.Kind.LEARNED_SCOPE, w.namespace(), w.name()));
        }
        MeshState next = decided.equals(old.learning()) ? old : old.withLearning(decided);
        state = next;
        learning.measure(next);
        if (keys.isEmpty()) {
            // nothing served changed (shadow decisions, or no widening needed): no push, no log line
            return new PushSummary(pushCount, next.version(), reason, proxies.size(), 0, 0, Map.of(), 0, startedAt,
                    Instant.now());
        }
        return plan(old, next, new ChangeSet(old.version(), next.version(), keys), reason, start, startedAt, 1, 0);
    }

    /**
     * A proxyless gRPC client subscribed to listeners it is not served: those inside its upper bound are recorded
     * as {@code GRPC_SUBSCRIPTION} evidence, which widens its workload's scope on the fast path; the stream waits
     * for that push. Anything else is answered as usual (not served).
     */
    @Override
    public boolean unservedSubscription(ProxyConnection connection, String typeUrl, Set<String> names) {
        if (!XdsType.LISTENER.typeUrl().equals(typeUrl)) {
            return false;
        }
        ProxyEntry entry = proxies.get(connection.id());
        if (entry == null || entry.identity().kind() != ProxyIdentity.ProxyKind.PROXYLESS_GRPC
                || entry.scope().fallbackServices().isEmpty()) {
            return false;
        }
        Optional<WorkloadKey> workload = ServedLearning.workloadOf(entry.identity(), state.snapshot());
        if (workload.isEmpty()) {
            return false;
        }
        List<Observation> seen = OnDemandListeners.observations(workload.get(), entry.scope(), names,
                learning.clock().instant());
        if (seen.isEmpty()) {
            return false;
        }
        LOG.info(() -> "learning: " + entry.identity().proxyId() + " subscribed to " + names + ", widening "
                + workload.get());
        learning.record(seen);
        // the ledger's listener widens only when a destination is new to it; one seen before (and expired) too
        learnedSetChanged(Set.of(workload.get()), learning.ledger());
        return true;
    }

    /** Applies an update now, without debouncing, on the pipeline thread; returns when it was processed. */
    public PushSummary pushNow(SnapshotUpdate update) throws InterruptedException {
        try {
            return thread.submit(() -> process(new Debouncer.Batch<>(update, System.nanoTime(), 1)))
                    .get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("push failed", e);
        }
    }

    private void processSafely(Debouncer.Batch<SnapshotUpdate> batch) {
        try {
            process(batch);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "push of mesh version " + batch.merged().current().version() + " failed", e);
        }
    }

    private void refresh(long connectionId) {
        ProxyEntry entry = proxies.get(connectionId);
        MeshState s = state;
        // Called because the state changed while the stream attached. Not compared by snapshot version: a change
        // of learning's decisions keeps the snapshot (and its version), and a proxy that attached with the state
        // before the first re-evaluation, planned without it, would keep its upper bound until some later push.
        if (entry == null) {
            return;
        }
        ProxyResources resources = s.resourcesFor(entry.identity());
        ResourceSet served = s.served().of(resources, entry.resources(), entry.served());
        proxies.replace(connectionId, new ProxyEntry(entry.connection(), entry.identity(),
                s.scopeFor(entry.identity()), resources, served, s.version()));
        Set<String> types = ServedResources.changedTypes(entry.resources(), resources);
        if (!types.isEmpty()) {
            entry.connection().push(new ConfigUpdate(served, types, "refresh", System.nanoTime()));
        }
    }

    /**
     * Summary of one processed batch, as logged and as {@code /debug/push_status} shows the last one.
     *
     * @param number  the pipeline's count of processed batches, this one included
     * @param start   when processing began (after the debounce)
     * @param end     when every pushed proxy had been handed its update
     */
    public record PushSummary(long number, long version, String reason, int proxiesTotal, int proxiesPushed,
                              int scopesGenerated, Map<String, Integer> pushesByType, long millis, Instant start,
                              Instant end) {
    }

    /** The last processed batch, if any. */
    public Optional<PushSummary> lastPush() {
        return Optional.ofNullable(lastPush);
    }

    PushSummary process(Debouncer.Batch<SnapshotUpdate> batch) {
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        metrics.debounced(start - batch.firstEventNanos());
        SnapshotUpdate update = batch.merged();
        ChangeSet changes = update.changes();
        MeshState old = state;
        MeshState next = PushPlanner.scopesNeedRecompute(changes)
                ? old.rescoped(update.current(), changes) : old.withEndpointsFrom(update.current());
        state = next;
        if (PushPlanner.scopesNeedRecompute(changes) && !next.learning().decisions().isEmpty()) {
            learning.measure(next);
        }
        PushSummary summary = plan(old, next, changes, String.join(",", reasons(changes)), start, startedAt,
                batch.events(), (start - batch.firstEventNanos()) / 1_000_000);
        if (resumePending) {
            reevaluate();
        }
        return summary;
    }

    private PushSummary plan(MeshState old, MeshState next, ChangeSet changes, String reason, long start,
                             Instant startedAt, int events, long debounceMs) {
        AtomicInteger pushedCount = new AtomicInteger();
        Map<String, Integer> byType = new ConcurrentHashMap<>();
        List<ProxyEntry> current = List.copyOf(proxies.values());
        int slices = Math.max(1, Math.min(planners, current.size() / 64));
        List<Future<?>> work = new ArrayList<>();
        for (int slice = 0; slice < slices; slice++) {
            List<ProxyEntry> part = current.subList(slice * current.size() / slices,
                    (slice + 1) * current.size() / slices);
            Runnable planPart = () -> {
                for (ProxyEntry entry : part) {
                    try {
                        if (pushOne(entry, old, next, changes, reason, start, byType)) {
                            pushedCount.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        LOG.log(Level.SEVERE, "push to " + entry.identity().proxyId() + " failed", e);
                    }
                }
            };
            work.add(slices == 1 ? CompletableFuture.runAsync(planPart, Runnable::run) : planPool.submit(planPart));
        }
        for (Future<?> f : work) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                LOG.log(Level.SEVERE, "push planning failed", e.getCause());
            }
        }
        int pushed = pushedCount.get();
        long millis = (System.nanoTime() - start) / 1_000_000;
        metrics.pushPlanned(pushed, next.generatedCount(), System.nanoTime() - start);
        long n = ++pushCount;
        PushSummary summary = new PushSummary(n, next.version(), reason, current.size(), pushed,
                next.generatedCount(), Collections.unmodifiableMap(new TreeMap<>(byType)), millis, startedAt,
                Instant.now());
        lastPush = summary;
        LOG.info(() -> String.format(Locale.ROOT,
                "push #%d mesh v%d reason=%s keys=%s: pushed %d of %d proxies %s, generated %d scopes, %d ms"
                        + " (debounced %d events over %d ms)",
                n, next.version(), reason, abbreviate(changes.keys()), summary.proxiesPushed(), summary.proxiesTotal(),
                summary.pushesByType(), summary.scopesGenerated(), millis, events, debounceMs));
        return summary;
    }

    private boolean pushOne(ProxyEntry entry, MeshState old, MeshState next, ChangeSet changes, String reason,
                            long enqueued, Map<String, Integer> byType) {
        ProxyIdentity identity;
        try {
            identity = NodeIdentity.of(entry.connection().node(), next.snapshot());
        } catch (InvalidProxyIdentityException e) {
            identity = entry.identity();
        }
        ProxyScope scope = next.scopeFor(identity);
        PushPlanner.Decision decision = PushPlanner.decide(changes, entry.identity(), entry.scope(), identity, scope,
                old.snapshot(), next.snapshot());
        if (!decision.push()) {
            proxies.replace(entry.connection().id(), new ProxyEntry(entry.connection(), identity, scope,
                    entry.resources(), entry.served(), next.version()));
            return false;
        }
        scopeSize.check(identity, scope);
        ProxyResources resources = next.resourcesFor(identity);
        // Only types whose content changed are sent. For an endpoint-only change that is EDS alone, except where
        // endpoints live inside another type (DNS clusters carry theirs inline), which must not be held back.
        Set<String> types = ServedResources.changedTypes(entry.resources(), resources);
        ResourceSet served = next.served().of(resources, entry.resources(), entry.served());
        proxies.replace(entry.connection().id(), new ProxyEntry(entry.connection(), identity, scope, resources,
                served, next.version()));
        if (types.isEmpty()) {
            return false;
        }
        for (String type : types) {
            byType.merge(XdsType.fromTypeUrl(type).map(XdsType::discoveryService).orElse(type), 1, Integer::sum);
        }
        entry.connection().push(new ConfigUpdate(served, types,
                decision.endpointsOnly() ? "endpoint" : reason, enqueued));
        return true;
    }

    /** Istio's push trigger reasons for the kinds in a change set. */
    static Set<String> reasons(ChangeSet changes) {
        Set<String> out = new TreeSet<>();
        for (ConfigKey k : changes.keys()) {
            out.add(switch (k.kind()) {
                case ENDPOINTS -> "endpoint";
                case SERVICE -> "service";
                case NAMESPACE -> "namespace";
                case MESH_CONFIG -> "global";
                case WORKLOAD -> "proxy";
                case SIDECAR, VIRTUAL_SERVICE, DESTINATION_RULE, PEER_AUTHENTICATION -> "config";
                case LEARNED_SCOPE -> "learning";
            });
        }
        return out;
    }

    private static SnapshotUpdate merge(SnapshotUpdate earlier, SnapshotUpdate later) {
        return new SnapshotUpdate(earlier.previous(), later.current(), earlier.changes().merge(later.changes()));
    }

    private static String abbreviate(Set<ConfigKey> keys) {
        List<String> sorted = new TreeSet<>(keys).stream().map(ConfigKey::toString).toList();
        if (sorted.size() <= 5) {
            return sorted.toString();
        }
        return sorted.subList(0, 5).stream().collect(Collectors.joining(", ", "[", ", … +" + (sorted.size() - 5) + "]"));
    }

    @Override
    public void close() {
        if (reevaluation != null) {
            reevaluation.cancel(false);
        }
        thread.shutdownNow();
        planPool.shutdownNow();
    }
}
