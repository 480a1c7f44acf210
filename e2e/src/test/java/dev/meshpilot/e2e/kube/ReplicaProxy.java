package dev.meshpilot.e2e.kube;

import dev.meshpilot.e2e.ads.DeltaAdsStream;
import dev.meshpilot.e2e.ads.TestNodes;
import dev.meshpilot.e2e.ads.TypeUrls;
import dev.meshpilot.e2e.ads.XdsChain;
import dev.meshpilot.e2e.harness.ProxyNode;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A simulated proxyless proxy on one replica: an incremental ADS stream subscribed to every listener and cluster
 * it may see (wildcard), to the route configuration of every listener and the endpoints of every EDS cluster it
 * holds, ACKing each response. It keeps what it
 * holds as type → resource name → version, which is what a proxy would compare between control planes.
 */
public final class ReplicaProxy implements AutoCloseable {

    private final DeltaAdsStream stream;
    private final Map<String, Map<String, String>> held = new HashMap<>();
    private final Map<String, Set<String>> namedSubscriptions = new HashMap<>();

    private ReplicaProxy(DeltaAdsStream stream) {
        this.stream = stream;
    }

    public static ReplicaProxy connect(int xdsPort, ProxyNode node) {
        ReplicaProxy proxy = new ReplicaProxy(DeltaAdsStream.open(xdsPort, TestNodes.proxyless(node)));
        proxy.stream.subscribe(TypeUrls.LISTENER, "*");
        proxy.stream.subscribe(TypeUrls.CLUSTER, "*");
        return proxy;
    }

    /** Takes in every response that has arrived: records it, ACKs it, follows clusters to their endpoints. */
    public void drain() {
        Optional<DeltaDiscoveryResponse> next;
        while ((next = stream.poll(Duration.ZERO)).isPresent()) {
            accept(next.get());
        }
    }

    /** Type URL → resource name → version, sorted, for everything the proxy holds now. */
    public Map<String, Map<String, String>> heldVersions() {
        Map<String, Map<String, String>> copy = new TreeMap<>();
        held.forEach((type, resources) -> copy.put(type, new TreeMap<>(resources)));
        return copy;
    }

    /**
     * The route configurations and endpoint assignments subscribed to but not (yet) held, as {@code type name}.
     * Named subscriptions are never dropped, so this suits changes that add resources, as the test makes.
     */
    public Set<String> missing() {
        Set<String> missing = new TreeSet<>();
        namedSubscriptions.forEach((type, names) -> names.stream()
                .filter(name -> !held.getOrDefault(type, Map.of()).containsKey(name))
                .forEach(name -> missing.add(type + " " + name)));
        return missing;
    }

    @Override
    public void close() {
        stream.close();
    }

    private void accept(DeltaDiscoveryResponse response) {
        Map<String, String> ofType = held.computeIfAbsent(response.getTypeUrl(), t -> new HashMap<>());
        for (Resource resource : response.getResourcesList()) {
            ofType.put(resource.getName(), resource.getVersion());
        }
        response.getRemovedResourcesList().forEach(ofType::remove);
        stream.ack(response);
        for (Resource resource : response.getResourcesList()) {
            if (response.getTypeUrl().equals(TypeUrls.LISTENER)) {
                routeConfigName(resource).ifPresent(name -> subscribeOnce(TypeUrls.ROUTE, name));
            } else if (response.getTypeUrl().equals(TypeUrls.CLUSTER)
                    && XdsChain.unpack(resource.getResource(), Cluster.class).getType() == Cluster.DiscoveryType.EDS) {
                subscribeOnce(TypeUrls.ENDPOINT, XdsChain.edsServiceName(resource.getResource()));
            }
        }
    }

    private void subscribeOnce(String typeUrl, String name) {
        if (namedSubscriptions.computeIfAbsent(typeUrl, t -> new TreeSet<>()).add(name)) {
            stream.subscribe(typeUrl, name);
        }
    }

    /** The RDS name of an API listener, when it refers to one rather than carrying its routes inline. */
    private static Optional<String> routeConfigName(Resource resource) {
        Listener listener = XdsChain.unpack(resource.getResource(), Listener.class);
        HttpConnectionManager manager = XdsChain.unpack(listener.getApiListener().getApiListener(),
                HttpConnectionManager.class);
        return manager.hasRds() ? Optional.of(manager.getRds().getRouteConfigName()) : Optional.empty();
    }
}
