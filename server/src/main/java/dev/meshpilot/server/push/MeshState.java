package dev.meshpilot.server.push;

import dev.meshpilot.core.registry.ChangeSet;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.ScopeKey;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.server.learn.ScopingMode;
import dev.meshpilot.server.learn.ServedLearning;
import dev.meshpilot.xds.generate.ClusterInputs;
import dev.meshpilot.xds.generate.LoadAssignmentMemo;
import dev.meshpilot.xds.generate.OutboundResources;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.generate.ProxyResourcesMemo;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One mesh snapshot as the server serves it (Istio's push context): the snapshot, its scopes and the outbound
 * resources generated for each distinct scope and proxy kind, computed once and shared by every proxy that holds
 * that scope. Thread-safe; immutable apart from its caches.
 */
public final class MeshState {
    private record OutboundKey(ScopeKey scope, ProxyIdentity.ProxyKind kind) {
    }

    private final MeshSnapshot snapshot;
    private final SidecarScopes scopes;
    private final ProxyConfigGenerator generator;
    /** Outbound parts of the previous state whose endpoints may be refreshed instead of regenerated. */
    private final Map<OutboundKey, OutboundResources> endpointsBase;
    private final LoadAssignmentMemo loadAssignments;
    private final Map<OutboundKey, OutboundResources> outbound = new ConcurrentHashMap<>();
    /** What a warm start made for proxies not yet connected; dropped by {@link #forgetUnclaimed}. */
    private final java.util.Queue<ProxyResources> warmed = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** One lock per outbound part being generated now, so each is generated once. */
    private final Map<OutboundKey, Object> generating = new ConcurrentHashMap<>();
    private final AtomicInteger generated = new AtomicInteger();
    private final ServedResources served = new ServedResources();
    /** Proxies with the same outbound part and inbound inputs (a workload's replicas) share their resources. */
    private final ProxyResourcesMemo proxies;
    private final ServedLearning learning;

    private MeshState(MeshSnapshot snapshot, SidecarScopes scopes, ProxyConfigGenerator generator,
                      Map<OutboundKey, OutboundResources> endpointsBase, LoadAssignmentMemo loadAssignments,
                      ProxyResourcesMemo proxies, ServedLearning learning) {
        this.proxies = proxies;
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.scopes = scopes;
        this.generator = generator;
        this.endpointsBase = endpointsBase;
        this.loadAssignments = loadAssignments;
        this.learning = Objects.requireNonNull(learning, "learning");
    }

    /** A state whose scopes are computed from this snapshot. */
    public static MeshState of(MeshSnapshot snapshot, ProxyConfigGenerator generator) {
        return of(snapshot, generator, ServedLearning.none(ScopingMode.OFF));
    }

    /** A state whose scopes are computed from this snapshot and learning's decisions. */
    public static MeshState of(MeshSnapshot snapshot, ProxyConfigGenerator generator, ServedLearning learning) {
        return new MeshState(snapshot, new SidecarScopes(snapshot), generator, new ConcurrentHashMap<>(),
                LoadAssignmentMemo.create(), ProxyResourcesMemo.create(), learning);
    }

    /**
     * The state after learning changed its decisions, on the same snapshot: the upper bounds are kept, and so is
     * every outbound part already generated (scope keys are by content, so an equal key is an equal scope).
     */
    MeshState withLearning(ServedLearning newer) {
        MeshState next = new MeshState(snapshot, scopes, generator, new ConcurrentHashMap<>(),
                loadAssignments.next(true), proxies.next(), newer);
        next.outbound.putAll(outbound);
        return next;
    }

    /**
     * The state after a change to a scope input: scopes and outbound parts are computed afresh, reusing the
     * ClusterLoadAssignments whose endpoints did not change and, when {@code changes} left every cluster input but
     * the spec as it was ({@link ClusterInputs}), the clusters themselves: a MeshConfig change of the outbound
     * traffic policy regenerates every scope's listeners and routes, not its clusters.
     */
    MeshState rescoped(MeshSnapshot newer, ChangeSet changes) {
        return new MeshState(newer, new SidecarScopes(newer), generator, new ConcurrentHashMap<>(),
                loadAssignments.next(ClusterInputs.unchangedBy(changes, snapshot, newer)), proxies.next(), learning);
    }

    /**
     * The state after a change that touched no scope input (endpoints and pods only): scopes are kept, and each
     * outbound part is the previous one with its endpoints regenerated.
     */
    MeshState withEndpointsFrom(MeshSnapshot newer) {
        // copies: states never chain
        return new MeshState(newer, scopes, generator, new ConcurrentHashMap<>(outbound), loadAssignments.next(),
                proxies.next(), learning);
    }

    public MeshSnapshot snapshot() {
        return snapshot;
    }

    public SidecarScopes scopes() {
        return scopes;
    }

    public long version() {
        return snapshot.version();
    }

    /** Learning's decisions this state serves. */
    public ServedLearning learning() {
        return learning;
    }

    /** The scope the proxy is served: its learned scope in {@code learned} mode once narrowed, else Istio's. */
    public ProxyScope scopeFor(ProxyIdentity proxy) {
        return learning.narrowingFor(proxy, snapshot).map(hosts -> scopes.narrowedScopeFor(proxy, hosts))
                .orElseGet(() -> scopes.scopeFor(proxy));
    }

    /** Istio's scope of the proxy: what learning narrows from. */
    public ProxyScope upperBoundFor(ProxyIdentity proxy) {
        return scopes.scopeFor(proxy);
    }

    /**
     * The proxy's learned scope, served ({@code learned} mode) or what learning would serve ({@code shadow}); empty
     * when learning did not narrow it or a hand-written Sidecar keeps its scope.
     */
    public Optional<ProxyScope> learnedScopeFor(ProxyIdentity proxy) {
        return learning.learnedHostsFor(proxy, snapshot).map(hosts -> scopes.narrowedScopeFor(proxy, hosts))
                .filter(scope -> scope.key().learned());
    }

    /** What the proxy would be served under {@code scope} in this state, generated afresh (for inspection). */
    public ProxyResources resourcesUnder(ProxyIdentity proxy, ProxyScope scope) {
        return generator.generate(snapshot, proxy, generator.outbound(snapshot, scope, proxy.kind()));
    }

    /** Everything the proxy is served in this state; the outbound part is shared per scope and kind. */
    public ProxyResources resourcesFor(ProxyIdentity proxy) {
        return generator.generate(snapshot, proxy, outboundFor(scopeFor(proxy), proxy.kind()), proxies);
    }

    /** The scope's outbound part for this kind: the one held, else generated now. */
    private OutboundResources outboundFor(ProxyScope scope, ProxyIdentity.ProxyKind kind) {
        OutboundKey key = new OutboundKey(scope.key(), kind);
        OutboundResources out = outbound.get(key);
        return out != null ? out : generateOnce(key, scope);
    }

    /**
     * Generates ahead what a proxy like this one will be served, without a proxy: its scope, the outbound part of
     * that scope and the served form of the sets no proxy adds to (endpoints, routes). Used by {@link WarmStart}.
     */
    void warm(ProxyIdentity proxy) {
        OutboundResources out = outboundFor(scopeFor(proxy), proxy.kind());
        for (XdsType type : List.of(XdsType.ENDPOINT, XdsType.ROUTE)) {
            served.warm(type, out.set(type));
        }
    }

    /**
     * Generates ahead everything this proxy will be served (its inbound part too) and its served form, and holds it
     * until {@link #forgetUnclaimed}: when the proxy connects, its resources and their conversion are found
     * (a {@link ProxyResourcesMemo} hit, then equal set versions) instead of made.
     */
    void warmProxy(ProxyIdentity proxy) {
        ProxyResources resources = resourcesFor(proxy);
        served.of(resources);
        warmed.add(resources);
    }

    /**
     * Drops the outbound parts and served sets no connected proxy uses: what a warm start generated for proxies
     * that never came (pods without a sidecar, or a registry larger than its mesh).
     *
     * @return how many cache entries were dropped
     */
    int forgetUnclaimed(Collection<ProxyEntry> remaining) {
        InUse inUse = InUse.of(remaining);
        int scopesDropped = scopes.retainOnly(inUse.scopes()::contains);
        warmed.clear();
        proxies.purge();
        int before = outbound.size();
        outbound.keySet().removeIf(key -> !inUse.outbound().contains(key));
        endpointsBase.keySet().removeIf(key -> !inUse.outbound().contains(key));
        return scopesDropped + before - outbound.size()
                + served.retainOnly(remaining.stream().map(ProxyEntry::resources).toList());
    }

    /** The scopes (a learned one with its upper bound) and outbound parts some of these proxies use. */
    private record InUse(Set<ScopeKey> scopes, Set<OutboundKey> outbound) {
        static InUse of(Collection<ProxyEntry> proxies) {
            Set<ScopeKey> scopes = new HashSet<>();
            Set<OutboundKey> outbound = new HashSet<>();
            for (ProxyEntry e : proxies) {
                ScopeKey key = e.scope().key();
                scopes.add(key);
                if (key.learned()) {
                    scopes.add(SidecarScopes.upperKeyOf(key));
                }
                outbound.add(new OutboundKey(key, e.identity().kind()));
            }
            return new InUse(scopes, outbound);
        }
    }

    /**
     * Generates a scope's outbound part, once however many of its proxies ask at the same time. Not inside the
     * map's {@code computeIfAbsent}: that holds a lock over a bin of keys for the whole generation, so in a reconnect
     * storm proxies of other scopes waited for it too.
     */
    private OutboundResources generateOnce(OutboundKey key, ProxyScope scope) {
        Object lock = generating.computeIfAbsent(key, k -> new Object());
        try {
            synchronized (lock) {
                OutboundResources out = outbound.get(key);
                if (out == null) {
                    generated.incrementAndGet();
                    OutboundResources earlier = endpointsBase.get(key);
                    out = earlier != null ? generator.refreshEndpoints(snapshot, earlier, loadAssignments)
                            : generator.outbound(snapshot, scope, key.kind(), loadAssignments);
                    outbound.put(key, out);
                }
                return out;
            }
        } finally {
            generating.remove(key, lock);
        }
    }

    /**
     * Forgets what was cached for a proxy that left (its scope, its outbound part, its converted resource sets) unless
     * a proxy still connected uses it: a client can declare any namespace, and nothing it made the server compute may
     * outlive its stream. Called on the pipeline thread; a concurrent attach that loses its freshly cached entry
     * only recomputes it.
     *
     * @param gone      the proxies that detached (a batch: a mass disconnect costs one pass, not one per proxy)
     * @param remaining the proxies still attached
     * @return how many cache entries were dropped
     */
    int forget(Collection<ProxyEntry> gone, Collection<ProxyEntry> remaining) {
        InUse inUse = InUse.of(remaining);
        int dropped = 0;
        for (ProxyEntry departed : gone) {
            ScopeKey key = departed.scope().key();
            dropped += scopes.forget(key, inUse.scopes()::contains);
            OutboundKey outboundKey = new OutboundKey(key, departed.identity().kind());
            if (!inUse.outbound().contains(outboundKey)) {
                dropped += outbound.remove(outboundKey) != null ? 1 : 0;
                dropped += endpointsBase.remove(outboundKey) != null ? 1 : 0;
            }
        }
        proxies.purge();
        return dropped + served.forget(gone.stream().map(ProxyEntry::resources).toList(),
                remaining.stream().map(ProxyEntry::resources).toList());
    }

    /** Cached scopes, outbound parts and converted sets: what {@link #forget} bounds. */
    public int cachedEntries() {
        return scopes.cachedScopes() + outbound.size() + endpointsBase.size() + served.size();
    }

    /** Converts this state's generated resources into what streams serve, sharing equal sets. */
    ServedResources served() {
        return served;
    }

    /** How many outbound clusters this state generated rather than shared or carried from the previous state. */
    public int clustersGenerated() {
        return loadAssignments.clustersMade();
    }

    /** How many outbound parts this state generated (one per distinct scope and kind in use). */
    public int generatedCount() {
        return generated.get();
    }
}
