package dev.meshpilot.bench.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a resource makes a client ask for next, as Envoy and gRPC do: an EDS cluster's endpoint set, a listener's
 * route configurations, a route configuration's clusters. Answers are remembered by resource digest, so identical
 * resources received by many clients are parsed once.
 */
public final class ResourceLinks {

    private static final String HCM_TYPE =
            "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
    private static final String[] NONE = new String[0];

    /** A resource's name and the names it references. */
    record Parsed(String name, String[] references) {
    }

    private final Map<Long, Parsed> byDigest = new ConcurrentHashMap<>();
    private final Interner interner;

    public ResourceLinks(Interner interner) {
        this.interner = interner;
    }

    /** FNV-1a 64 over the serialized resource, mixed with its type so equal bytes of two types differ. */
    static long digest(String typeUrl, Any resource) {
        long h = 0xcbf29ce484222325L ^ typeUrl.hashCode();
        ByteBuffer bytes = resource.getValue().asReadOnlyByteBuffer();
        while (bytes.hasRemaining()) {
            h ^= bytes.get() & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The resource's name and the names it refers to (EDS for a cluster, RDS for a listener, CDS for routes). */
    Parsed parsed(String typeUrl, long digest, Any resource) {
        return byDigest.computeIfAbsent(digest, d -> parse(typeUrl, resource));
    }

    /** The references of a resource seen before (by digest); null if never parsed. */
    String[] linksOf(long digest) {
        Parsed parsed = byDigest.get(digest);
        return parsed == null ? null : parsed.references();
    }

    private Parsed parse(String typeUrl, Any resource) {
        try {
            List<String> out = new ArrayList<>();
            String name;
            switch (typeUrl) {
                case TypeUrls.CLUSTER -> {
                    Cluster cluster = Cluster.parseFrom(resource.getValue());
                    name = cluster.getName();
                    if (cluster.hasEdsClusterConfig() || cluster.getType() == Cluster.DiscoveryType.EDS) {
                        String service = cluster.getEdsClusterConfig().getServiceName();
                        out.add(service.isEmpty() ? cluster.getName() : service);
                    }
                }
                case TypeUrls.LISTENER -> {
                    Listener listener = Listener.parseFrom(resource.getValue());
                    name = listener.getName();
                    routesOf(listener, out);
                }
                case TypeUrls.ROUTE -> {
                    RouteConfiguration config = RouteConfiguration.parseFrom(resource.getValue());
                    name = config.getName();
                    clustersOf(config, out);
                }
                case TypeUrls.ENDPOINT -> name = ClusterLoadAssignment.parseFrom(resource.getValue()).getClusterName();
                default -> name = "";
            }
            String[] refs = out.isEmpty() ? NONE
                    : out.stream().map(interner::name).distinct().sorted().toArray(String[]::new);
            return new Parsed(interner.name(name), refs);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("server sent an unparsable " + TypeUrls.shortName(typeUrl), e);
        }
    }

    private static void routesOf(Listener listener, List<String> out) throws InvalidProtocolBufferException {
        if (listener.hasApiListener()) {
            hcmRoutes(listener.getApiListener().getApiListener(), out);
        }
        List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
        if (listener.hasDefaultFilterChain()) {
            chains.add(listener.getDefaultFilterChain());
        }
        for (FilterChain chain : chains) {
            for (Filter filter : chain.getFiltersList()) {
                if (filter.hasTypedConfig()) {
                    hcmRoutes(filter.getTypedConfig(), out);
                }
            }
        }
    }

    private static void hcmRoutes(Any config, List<String> out) throws InvalidProtocolBufferException {
        if (!config.getTypeUrl().equals(HCM_TYPE)) {
            return;
        }
        HttpConnectionManager hcm = HttpConnectionManager.parseFrom(config.getValue());
        if (hcm.hasRds()) {
            out.add(hcm.getRds().getRouteConfigName());
        }
    }

    private static void clustersOf(RouteConfiguration config, List<String> out) {
        for (VirtualHost host : config.getVirtualHostsList()) {
            for (Route route : host.getRoutesList()) {
                if (!route.hasRoute()) {
                    continue;
                }
                RouteAction action = route.getRoute();
                if (!action.getCluster().isEmpty()) {
                    out.add(action.getCluster());
                }
                for (WeightedCluster.ClusterWeight weight : action.getWeightedClusters().getClustersList()) {
                    out.add(weight.getName());
                }
            }
        }
    }
}
