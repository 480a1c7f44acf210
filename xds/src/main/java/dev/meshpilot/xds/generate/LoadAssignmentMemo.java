package dev.meshpilot.xds.generate;

import dev.meshpilot.core.registry.ServiceEndpoint;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.resource.ResourceInterner;
import dev.meshpilot.xds.resource.XdsResource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Generated ClusterLoadAssignments remembered by cluster name together with the endpoints they were made from, so
 * scopes that hold the same cluster share one resource, and an endpoint change rebuilds only the assignments whose
 * endpoints differ. A ClusterLoadAssignment is a function of its cluster name and its endpoints alone, which is
 * what makes this exact: a remembered one is reused only when the endpoints are equal.
 *
 * <p>One memo serves one mesh state; {@link #next()} starts the memo of the following state, which consults this
 * one's entries (one generation back, never a chain) and keeps only what it uses. The memo also carries the state's
 * {@link ResourceInterner} (the same one for every following state), through which every generated outbound
 * resource passes, so equal resources of different scopes and states are held once. Thread-safe.
 */
public final class LoadAssignmentMemo {
    private record Key(ProxyKind kind, String clusterName) {
    }

    private record Entry(List<ServiceEndpoint> endpoints, XdsResource resource) {
    }

    private record ClusterKey(ProxyKind kind, ServiceClusters.OutboundCluster spec) {
    }

    private static final LoadAssignmentMemo NONE = new LoadAssignmentMemo(null, Map.of(), ResourceInterner.none(),
            Map.of());

    private final Map<Key, Entry> entries;
    private final Map<Key, Entry> earlier;
    private final ResourceInterner interner;
    /**
     * Outbound clusters made in this mesh state, by kind and spec: a cluster is a function of the snapshot, its spec
     * and the proxy kind alone, so scopes that hold the same spec (every namespace of a full mesh) build it once.
     */
    private final Map<ClusterKey, Optional<XdsResource>> clusters;
    /**
     * The previous state's clusters, when the change between the two states left every cluster input other than the
     * spec as it was ({@link ClusterInputs#unchangedBy}); empty otherwise. One generation back, never a chain.
     */
    private final Map<ClusterKey, Optional<XdsResource>> earlierClusters;
    private final AtomicInteger clustersMade = new AtomicInteger();

    private LoadAssignmentMemo(Map<Key, Entry> entries, Map<Key, Entry> earlier, ResourceInterner interner,
                               Map<ClusterKey, Optional<XdsResource>> earlierClusters) {
        this.entries = entries;
        this.earlier = earlier;
        this.interner = interner;
        this.clusters = entries == null ? null : new ConcurrentHashMap<>();
        this.earlierClusters = earlierClusters;
    }

    /** An empty memo. */
    public static LoadAssignmentMemo create() {
        return new LoadAssignmentMemo(new ConcurrentHashMap<>(), Map.of(), ResourceInterner.create(), Map.of());
    }

    /** A memo that remembers nothing: every call generates. */
    public static LoadAssignmentMemo none() {
        return NONE;
    }

    /** The memo of the next mesh state: empty, but reusing this one's assignments whose endpoints are unchanged. */
    public LoadAssignmentMemo next() {
        return next(false);
    }

    /**
     * The memo of the next mesh state, which also reuses this state's outbound clusters when {@code clustersValid}:
     * the caller has established that a cluster of the next state is the same function of its spec and kind as in
     * this one ({@link ClusterInputs#unchangedBy}). A MeshConfig change of the outbound traffic policy, or a Sidecar
     * or VirtualService change, then regenerates listeners and routes but no cluster.
     */
    public LoadAssignmentMemo next(boolean clustersValid) {
        if (entries == null) {
            return this;
        }
        return new LoadAssignmentMemo(new ConcurrentHashMap<>(), Map.copyOf(entries), interner,
                clustersValid ? Map.copyOf(clusters) : Map.of());
    }

    /** The outbound cluster of this spec for this kind in this mesh state: made once, then shared. */
    Optional<XdsResource> cluster(ProxyKind kind, ServiceClusters.OutboundCluster spec,
                                  Supplier<Optional<XdsResource>> make) {
        if (clusters == null) {
            return make.get();
        }
        ClusterKey key = new ClusterKey(kind, spec);
        Optional<XdsResource> known = clusters.get(key);
        if (known != null) {
            return known;
        }
        Optional<XdsResource> made = earlierClusters.get(key);
        if (made == null) {
            clustersMade.incrementAndGet();
            made = make.get().map(interner::intern);
        }
        Optional<XdsResource> raced = clusters.putIfAbsent(key, made);
        return raced != null ? raced : made;
    }

    /** How many outbound clusters this memo generated (not found in this state nor carried from the previous). */
    public int clustersMade() {
        return clustersMade.get();
    }

    /** The interner of this mesh state's generated resources. */
    public ResourceInterner interner() {
        return interner;
    }

    /** The assignment of this cluster for these endpoints: remembered if equal endpoints made one, else made now. */
    XdsResource get(ProxyKind kind, String clusterName, List<ServiceEndpoint> endpoints, Supplier<XdsResource> make) {
        if (entries == null) {
            return make.get();
        }
        Key key = new Key(kind, clusterName);
        Entry known = entries.get(key);
        if (known == null) {
            known = earlier.get(key);
        }
        if (known != null && known.endpoints().equals(endpoints)) {
            entries.putIfAbsent(key, known);
            return known.resource();
        }
        XdsResource made = make.get();
        entries.put(key, new Entry(List.copyOf(endpoints), made));
        return made;
    }
}
