package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.Locality;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.ServiceEndpoint;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.generate.ServiceClusters.OutboundCluster;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * ClusterLoadAssignments from the registry's endpoints (EDS and the inline endpoints of DNS clusters): a subset
 * keeps only endpoints whose labels carry all its labels; endpoints are grouped by locality (region/zone, sorted),
 * ordered by address and port inside a group, carry their health, and every endpoint and every locality has a
 * load-balancing weight (proxyless gRPC clients ignore localities without one).
 */
final class LoadAssignments {

    private static final Comparator<ServiceEndpoint> ENDPOINT_ORDER = Comparator
            .comparing(ServiceEndpoint::address).thenComparingInt(ServiceEndpoint::port);

    private LoadAssignments() {
    }

    /**
     * The ClusterLoadAssignment of every EDS cluster among {@code specs}, once per cluster name (the first spec of a
     * name wins), shared through the memo with other scopes and states holding the same cluster and endpoints.
     */
    static List<XdsResource> forClusters(MeshSnapshot snapshot, List<OutboundCluster> specs, ProxyKind kind,
                                         LoadAssignmentMemo memo) {
        String generator = kind.isEnvoy() ? "sidecar-outbound" : "grpc-outbound";
        Map<String, XdsResource> out = new LinkedHashMap<>();
        for (OutboundCluster spec : specs) {
            String name = spec.name().value();
            if (spec.discovery() != ServiceClusters.Discovery.EDS || out.containsKey(name)) {
                continue;
            }
            List<ServiceEndpoint> selected = select(snapshot.endpointsOf(spec.service(), spec.port()), spec.subset());
            EndpointMetadata metadata = new EndpointMetadata(kind, snapshot, spec.service());
            out.put(name, memo.get(kind, name, selected, () -> XdsResource.endpoints(of(name, selected, metadata),
                    generator + ": endpoints of " + spec.service().hostname() + " port " + spec.port().port()
                            + spec.subset().map(s -> " subset " + s.name()).orElse(""))));
        }
        return List.copyOf(out.values());
    }

    static List<ServiceEndpoint> select(List<ServiceEndpoint> endpoints, Optional<DestinationRuleResource.Subset> subset) {
        if (subset.isEmpty()) {
            return endpoints;
        }
        Map<String, String> wanted = subset.get().labels();
        return endpoints.stream().filter(e -> e.labels().entrySet().containsAll(wanted.entrySet())).toList();
    }

    static ClusterLoadAssignment of(String clusterName, List<ServiceEndpoint> endpoints, EndpointMetadata metadata) {
        Map<String, List<ServiceEndpoint>> byLocality = new TreeMap<>();
        Map<String, Locality> localities = new TreeMap<>();
        for (ServiceEndpoint ep : endpoints) {
            String key = ep.locality().region() + "/" + ep.locality().zone();
            byLocality.computeIfAbsent(key, k -> new ArrayList<>()).add(ep);
            localities.putIfAbsent(key, ep.locality());
        }
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(clusterName);
        for (Map.Entry<String, List<ServiceEndpoint>> group : byLocality.entrySet()) {
            List<ServiceEndpoint> members = new ArrayList<>(group.getValue());
            members.sort(ENDPOINT_ORDER);
            LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
            Locality where = localities.get(group.getKey());
            if (where.isKnown()) {
                io.envoyproxy.envoy.config.core.v3.Locality.Builder l = io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
                        .setRegion(where.region());
                if (!where.zone().isEmpty()) {
                    l.setZone(where.zone());
                }
                locality.setLocality(l);
            } else {
                // grpc-js-xds rejects a ClusterLoadAssignment whose locality is unset ("endpoints[0].locality
                // unset"); Istio always sends one, empty when unknown.
                locality.setLocality(io.envoyproxy.envoy.config.core.v3.Locality.getDefaultInstance());
            }
            int total = 0;
            ServiceEndpoint previous = null;
            for (ServiceEndpoint ep : members) {
                if (previous != null && previous.address().equals(ep.address()) && previous.port() == ep.port()) {
                    continue; // one address:port once per locality, even if two sources list it
                }
                previous = ep;
                int weight = ep.weight() > 0 ? ep.weight() : 1;
                LbEndpoint.Builder lb = LbEndpoint.newBuilder()
                        .setEndpoint(Endpoint.newBuilder().setAddress(Protos.socketAddress(ep.address(), ep.port())))
                        .setHealthStatus(health(ep.health()));
                metadata.of(ep).ifPresent(lb::setMetadata);
                locality.addLbEndpoints(lb.setLoadBalancingWeight(Protos.uint32(weight)));
                total += weight;
            }
            locality.setLoadBalancingWeight(Protos.uint32(total));
            cla.addEndpoints(locality);
        }
        return cla.build();
    }

    static HealthStatus health(ServiceEndpoint.Health health) {
        return switch (health) {
            case HEALTHY -> HealthStatus.HEALTHY;
            case UNHEALTHY -> HealthStatus.UNHEALTHY;
            case DRAINING -> HealthStatus.DRAINING;
        };
    }
}
