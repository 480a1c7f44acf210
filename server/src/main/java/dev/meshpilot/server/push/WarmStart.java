package dev.meshpilot.server.push;

import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ScopeKey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A warm start: once the mesh source is ready, and before the server reports ready, the outbound parts of the scopes
 * the registry's pods will ask for are generated ahead, scopes with the most pods first, then each pod's own part
 * and served form, on a few threads and within a time budget. A control plane that restarts (or a new replica in a
 * rollout) then answers the proxies that reconnect from what it already holds instead of generating while thousands
 * of streams compete for the same cores; istiod precomputes its sidecar scopes at push-context creation the same
 * way.
 *
 * <p>Pods are taken as the proxies Istio's injector gives them: istio-proxy sidecars, proxyless gRPC clients when
 * annotated {@code inject.istio.io/templates: grpc-agent}, none with {@code sidecar.istio.io/inject: "false"}; a
 * plain Envoy is generated on connect. What no proxy claims within {@code unclaimedAfter} of the warm-up's end is
 * dropped ({@link PushPipeline#forgetUnclaimedLater}), so pods without a sidecar cost nothing lasting. The budget
 * bounds the delay before ready; what it leaves out is generated on demand.
 */
public final class WarmStart {
    private static final Logger LOG = Logger.getLogger(WarmStart.class.getName());

    private final PushPipeline pipeline;
    private final BooleanSupplier sourceReady;
    private final Duration budget;
    private final Duration unclaimedAfter;
    private final int threads;
    private final Clock clock;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger(-1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile String outcome = "";

    /**
     * @param budget         how long the warm-up may take; zero disables it (the server is ready at once)
     * @param unclaimedAfter how long warmed parts wait for a proxy before they are dropped
     * @param threads        generation threads (the cores the server may use)
     */
    public WarmStart(PushPipeline pipeline, BooleanSupplier sourceReady, Duration budget, Duration unclaimedAfter,
                     int threads, Clock clock) {
        this.pipeline = pipeline;
        this.sourceReady = sourceReady;
        this.budget = budget;
        this.unclaimedAfter = unclaimedAfter;
        this.threads = Math.max(1, threads);
        this.clock = clock;
    }

    /** Starts warming on daemon threads once the source is ready; returns at once. */
    public void start() {
        if (isOff()) {
            outcome = "off";
            finished.countDown();
            return;
        }
        Thread t = new Thread(this::run, "meshpilot-warm-start");
        t.setDaemon(true);
        t.start();
    }

    /** True once the warm-up ended (finished, out of budget, off, or failed): {@code /ready} waits for it. */
    public boolean finished() {
        return finished.getCount() == 0;
    }

    /** True when the budget is zero: nothing is warmed and {@code /ready} has nothing to report about it. */
    public boolean isOff() {
        return budget.isZero() || budget.isNegative();
    }

    /** For {@code /ready}: progress while warming, the outcome after. */
    public String describe() {
        if (!finished()) {
            int all = total.get();
            return all < 0 ? "warm start: waiting for the mesh source"
                    : String.format(Locale.ROOT, "warm start: %d of %d scopes generated", done.get(), all);
        }
        return outcome;
    }

    /** Waits for the warm-up to end (tests, benchmarks). */
    public boolean await(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void run() {
        Instant start = clock.instant();
        try {
            while (!sourceReady.getAsBoolean()) {
                Thread.sleep(50);
            }
            // the budget starts once the source is ready, and covers computing every pod's scope too
            Instant deadline = clock.instant().plus(budget);
            MeshState state = pipeline.state();
            List<ProxyIdentity> pods = pods(state);
            List<ProxyIdentity> representatives = representatives(state, pods);
            total.set(representatives.size());
            // first each scope's shared part, most-used scopes first; then, while the budget lasts, every pod's own
            // part (its inbound listener and clusters) and what its stream will serve
            Queue<ProxyIdentity> scopes = new ConcurrentLinkedQueue<>(representatives);
            runWorkers(() -> warm(scopes, deadline, proxy -> {
                state.warm(proxy);
                done.incrementAndGet();
            }, state));
            Queue<ProxyIdentity> proxies = new ConcurrentLinkedQueue<>(scopes.isEmpty() ? pods : List.of());
            AtomicInteger proxiesDone = new AtomicInteger();
            runWorkers(() -> warm(proxies, deadline, proxy -> {
                state.warmProxy(proxy);
                proxiesDone.incrementAndGet();
            }, state));
            long ms = Duration.between(start, clock.instant()).toMillis();
            boolean unfinished = !scopes.isEmpty() || !proxies.isEmpty();
            String why = pipeline.state() != state ? "the mesh changed" : "budget spent";
            outcome = String.format(Locale.ROOT, "warm start: %d of %d scopes and %d of %d proxies generated in %d ms%s",
                    done.get(), representatives.size(), proxiesDone.get(), pods.size(), ms,
                    unfinished ? "; " + why + ", the rest is generated on connect" : "");
            LOG.info(outcome);
            pipeline.forgetUnclaimedLater(unclaimedAfter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "warm start: interrupted";
        } catch (RuntimeException e) {
            outcome = "warm start: failed (" + e + "); scopes are generated on connect";
            LOG.log(Level.WARNING, outcome, e);
        } finally {
            finished.countDown();
        }
    }

    private void runWorkers(Runnable work) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread w = new Thread(work, "meshpilot-warm-start-" + (i + 1));
            w.setDaemon(true);
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
    }

    private void warm(Queue<ProxyIdentity> queue, Instant deadline, java.util.function.Consumer<ProxyIdentity> step,
                      MeshState state) {
        for (ProxyIdentity proxy = queue.peek(); proxy != null; proxy = queue.peek()) {
            if (clock.instant().isAfter(deadline) || pipeline.state() != state) {
                return; // out of budget, or the mesh changed: what is left is generated on connect
            }
            proxy = queue.poll();
            if (proxy == null) {
                return;
            }
            try {
                step.accept(proxy);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "warm start: generating for " + proxy.proxyId() + " failed; it is generated on"
                        + " connect", e);
            }
        }
    }

    /**
     * The registry's pods that can run a proxy now (ready, not terminating, with an IP), as the proxies Istio's
     * injector gives them ({@link ProxyIdentities#asInjected}): istio-proxies, proxyless gRPC clients where the
     * injection template says so, none where injection is off.
     */
    static List<ProxyIdentity> pods(MeshState state) {
        List<ProxyIdentity> out = new ArrayList<>();
        for (WorkloadInstance pod : state.snapshot().workloads()) {
            if (!pod.ready() || pod.terminating() || pod.ip() == null || pod.ip().isEmpty()) {
                continue;
            }
            ProxyIdentities.asInjected(pod).ifPresent(out::add);
        }
        return out;
    }

    /**
     * One pod per distinct scope and proxy kind (each pair is one outbound part), the scopes with the most pods
     * first.
     */
    static List<ProxyIdentity> representatives(MeshState state, List<ProxyIdentity> pods) {
        record ScopeOfKind(ScopeKey scope, ProxyIdentity.ProxyKind kind) {
        }
        Map<ScopeOfKind, List<ProxyIdentity>> byScope = new LinkedHashMap<>();
        for (ProxyIdentity proxy : pods) {
            byScope.computeIfAbsent(new ScopeOfKind(state.scopeFor(proxy).key(), proxy.kind()),
                    k -> new ArrayList<>()).add(proxy);
        }
        return byScope.values().stream()
                .sorted(Comparator.comparingInt((List<ProxyIdentity> same) -> same.size()).reversed())
                .map(same -> same.get(0))
                .toList();
    }
}
