package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.NamespaceInfo;
import dev.meshpilot.core.registry.MeshSnapshot;

import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.SidecarResource;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The scopes of one {@link MeshSnapshot} (Istio's sidecar scopes of one push context). {@link #scopeFor} picks the
 * Sidecar for a proxy (R13–R15), derives its {@link ScopeKey} and computes each distinct key once, lazily; every
 * proxy with that key shares the same immutable {@link ProxyScope}. Thread-safe.
 *
 * <p>Objects of namespaces the discovery selectors leave out (R12) are ignored here as well, so a snapshot that still
 * holds them is scoped as Istio would.
 */
public final class SidecarScopes {

    /** The name of a scope learning narrowed. */
    public static final String LEARNED_SCOPE_NAME = "meshpilot-learned";
    /** The egress host that imports nothing (Istio: {@code ~/*}). */
    static final String IMPORT_NOTHING = "~/*";

    private final MeshSnapshot snapshot;
    private final MeshConfig mesh;
    private final SidecarSelector selector;
    private final ScopeBuilder builder;
    private final Map<String, List<DestinationRuleResource>> selectingRulesByNamespace;
    private final List<MeshService> droppedByDiscoverySelectors;
    private final Map<ScopeKey, ProxyScope> computed = new ConcurrentHashMap<>();
    private final Map<ScopeKey, Object> locks = new ConcurrentHashMap<>();

    public SidecarScopes(MeshSnapshot snapshot) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.mesh = snapshot.meshConfig();
        Predicate<String> selected = selectedNamespaces(snapshot);
        List<MeshService> services = snapshot.services().stream().filter(s -> selected.test(s.namespace())).toList();
        this.droppedByDiscoverySelectors = snapshot.services().stream()
                .filter(s -> !selected.test(s.namespace())).toList();
        List<DestinationRuleResource> destinationRules = snapshot.destinationRules().stream()
                .filter(d -> selected.test(d.meta().namespace())).toList();
        this.selectingRulesByNamespace = destinationRules.stream().filter(d -> d.workloadSelector().isPresent())
                .collect(Collectors.groupingBy(d -> d.meta().namespace()));
        this.selector = new SidecarSelector(snapshot.sidecars().stream()
                .filter(s -> selected.test(s.meta().namespace())).toList(), mesh);
        this.builder = new ScopeBuilder(mesh, new ServiceIndex(services, mesh),
                new VirtualServiceIndex(snapshot.virtualServices().stream()
                        .filter(v -> selected.test(v.meta().namespace())).toList(), mesh),
                new DestinationRuleIndex(destinationRules, mesh));
    }

    private static Predicate<String> selectedNamespaces(MeshSnapshot snapshot) {
        MeshConfig mesh = snapshot.meshConfig();
        if (mesh.discoverySelectors().isEmpty()) {
            return ns -> true;
        }
        Map<String, Map<String, String>> labels = new HashMap<>();
        for (NamespaceInfo n : snapshot.namespaces()) {
            labels.put(n.name(), n.labels());
        }
        Set<String> yes = new HashSet<>();
        Set<String> no = new HashSet<>();
        return ns -> {
            if (yes.contains(ns)) {
                return true;
            }
            if (no.contains(ns)) {
                return false;
            }
            boolean ok = mesh.selectsNamespace(labels.getOrDefault(ns, Map.of()));
            (ok ? yes : no).add(ns);
            return ok;
        };
    }

    public MeshSnapshot snapshot() {
        return snapshot;
    }

    /** The scope of a proxy; computed on first use of its key and shared afterwards. */
    public ProxyScope scopeFor(ProxyIdentity proxy) {
        SidecarSelection selection = selectionFor(proxy);
        return scopeFor(keyFor(proxy, selection), selection);
    }

    /** Which Sidecar applies to the proxy, and why (R13–R15). */
    public SidecarSelection selectionFor(ProxyIdentity proxy) {
        return selector.select(proxy.namespace(), proxy.labels());
    }

    /** The key that decides the proxy's scope: namespace, applied Sidecar and the DestinationRules selecting it. */
    public ScopeKey keyFor(ProxyIdentity proxy) {
        return keyFor(proxy, selectionFor(proxy));
    }

    /** How many distinct scopes have been computed so far. */
    public int computedScopeCount() {
        return computed.size();
    }

    private ScopeKey keyFor(ProxyIdentity proxy, SidecarSelection selection) {
        Set<ConfigKey> selecting = new HashSet<>();
        for (DestinationRuleResource dr : selectingRulesByNamespace.getOrDefault(proxy.namespace(), List.of())) {
            if (SidecarSelector.labelsSubset(dr.workloadSelector().get(), proxy.labels())) {
                selecting.add(dr.key());
            }
        }
        return new ScopeKey(proxy.namespace(), selection.sidecarKey(), selecting);
    }

    /**
     * Forgets the computed scope of this key (and, for a learned key, of its upper bound) unless {@code inUse} says a
     * key still needs it: scopes are cached per key, and keys come from what clients declare (a namespace nobody
     * else uses), so the cache must not outlive the proxies that use it.
     *
     * @param inUse true for a key some connected proxy is served or narrowed from
     * @return how many scopes were forgotten
     */
    public int forget(ScopeKey key, Predicate<ScopeKey> inUse) {
        int dropped = 0;
        for (ScopeKey k : key.learned() ? List.of(key, upperKeyOf(key)) : List.of(key)) {
            if (!inUse.test(k) && computed.remove(k) != null) {
                dropped++;
            }
            if (!inUse.test(k)) {
                locks.remove(k);
            }
        }
        return dropped;
    }

    /**
     * Forgets every cached scope {@code inUse} rejects (what a warm start computed for proxies that never came).
     *
     * @return how many scopes were forgotten
     */
    public int retainOnly(Predicate<ScopeKey> inUse) {
        int before = computed.size();
        computed.keySet().removeIf(k -> !inUse.test(k));
        locks.keySet().removeIf(k -> !inUse.test(k));
        return before - computed.size();
    }

    /** The key Istio's rules alone give the proxies of a learned key. */
    public static ScopeKey upperKeyOf(ScopeKey key) {
        return new ScopeKey(key.proxyNamespace(), key.sidecar(), key.selectingDestinationRules());
    }

    /** How many scopes are cached now. */
    public int cachedScopes() {
        return computed.size();
    }

    private ProxyScope scopeFor(ScopeKey key, SidecarSelection selection) {
        ProxyScope existing = computed.get(key);
        if (existing != null) {
            return existing;
        }
        // one computation per key; other keys proceed in parallel
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            ProxyScope again = computed.get(key);
            if (again != null) {
                return again;
            }
            ProxyScope scope = builder.build(key, selection.sidecar(), ScopeTrace.DISABLED);
            computed.put(key, scope);
            return scope;
        }
    }

    /**
     * The proxy's scope narrowed to the given services of its upper bound (a learned scope): built as Istio would
     * build it for a Sidecar importing exactly those {@code ns/fqdn} hosts with the upper bound's outbound traffic
     * policy, never wider than {@link #scopeFor} (hosts outside the upper bound are dropped), carrying the rest of
     * the upper bound as {@link ProxyScope#fallbackServices()} and the upper bound's dependencies (a change to a
     * fallback service concerns the proxy too). Keyed by content: proxies of one namespace and Sidecar with equal
     * learned hosts share one scope. A Sidecar someone wrote for the workload or its namespace wins: such a proxy
     * gets {@link #scopeFor} unchanged.
     */
    public ProxyScope narrowedScopeFor(ProxyIdentity proxy, Collection<String> egressHosts) {
        SidecarSelection selection = selectionFor(proxy);
        ScopeKey upperKey = keyFor(proxy, selection);
        ProxyScope upper = scopeFor(upperKey, selection);
        boolean handWritten = (selection.level() == SidecarSelection.Level.WORKLOAD_SELECTOR
                || selection.level() == SidecarSelection.Level.NAMESPACE_DEFAULT)
                && selection.sidecar().map(s -> !LearnedScopes.isManaged(s)).orElse(false);
        if (handWritten) {
            return upper;
        }
        Set<String> inUpper = new HashSet<>();
        upper.services().forEach(s -> inUpper.add(s.namespace() + "/" + s.hostname()));
        List<String> hosts = egressHosts.stream().filter(inUpper::contains).sorted().distinct().toList();
        ScopeKey key = upperKey.narrowedTo(hosts);
        ProxyScope existing = computed.get(key);
        if (existing != null) {
            return existing;
        }
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            ProxyScope again = computed.get(key);
            if (again != null) {
                return again;
            }
            SidecarResource learned = new SidecarResource(
                    new ObjectMeta(proxy.namespace(), LEARNED_SCOPE_NAME, Instant.EPOCH,
                            Map.of(LearnedScopes.MANAGED_BY_LABEL, LearnedScopes.MANAGED_BY_MESHPILOT), Map.of()),
                    Optional.empty(),
                    List.of(new SidecarResource.EgressListener(Optional.empty(), "", "DEFAULT",
                            hosts.isEmpty() ? List.of(IMPORT_NOTHING) : hosts)),
                    List.of(), Optional.of(upper.outboundTrafficPolicy()));
            ProxyScope built = builder.build(key, Optional.of(learned), ScopeTrace.DISABLED);
            Set<MeshService> kept = new HashSet<>(built.services());
            ProxyScope scope = new ProxyScope(key, LEARNED_SCOPE_NAME, built.proxyNamespace(), Optional.empty(),
                    built.egressListeners(), built.services(), built.virtualServices(), built.destinationRules(),
                    built.outboundTrafficPolicy(), upper.dependencies(),
                    upper.services().stream().filter(s -> !kept.contains(s)).toList());
            computed.put(key, scope);
            return scope;
        }
    }

    // ---- for the explainer (same indexes, same computation, with a trace) -------------------------------------

    ScopeBuilder builder() {
        return builder;
    }

    List<MeshService> droppedByDiscoverySelectors() {
        return droppedByDiscoverySelectors;
    }

    ProxyScope traced(ProxyIdentity proxy, SidecarSelection selection, ScopeTrace trace) {
        return builder.build(keyFor(proxy, selection), selection.sidecar(), trace);
    }
}
