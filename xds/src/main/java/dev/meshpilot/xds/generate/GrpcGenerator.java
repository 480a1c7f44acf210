package dev.meshpilot.xds.generate;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.xds.generate.ServiceClusters.OutboundCluster;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proxyless gRPC resources (issue 3 item 2): per visible EDS-resolvable service port an outbound cluster (EDS over
 * ADS, round robin) and its ClusterLoadAssignment. No inbound part: a proxyless client only dials out.
 */
final class GrpcGenerator {

    private GrpcGenerator() {
    }

    static Map<XdsType, List<XdsResource>> outbound(MeshSnapshot snapshot, ProxyScope scope) {
        List<OutboundCluster> specs = ServiceClusters.forGrpc(scope);
        Map<String, XdsResource> clusters = new LinkedHashMap<>();
        for (OutboundCluster spec : specs) {
            String name = spec.name().value();
            clusters.putIfAbsent(name, XdsResource.cluster(Cluster.newBuilder()
                    .setName(name)
                    .setType(Cluster.DiscoveryType.EDS)
                    .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                            .setEdsConfig(Protos.ads(false))
                            .setServiceName(name))
                    .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
                    .build(), origin(spec)));
        }
        EnumMap<XdsType, List<XdsResource>> out = new EnumMap<>(XdsType.class);
        out.put(XdsType.CLUSTER, List.copyOf(clusters.values()));
        out.put(XdsType.ENDPOINT, endpoints(snapshot, specs));
        return out;
    }

    static List<XdsResource> endpoints(MeshSnapshot snapshot, ProxyScope scope) {
        return endpoints(snapshot, ServiceClusters.forGrpc(scope));
    }

    private static List<XdsResource> endpoints(MeshSnapshot snapshot, List<OutboundCluster> specs) {
        Map<String, XdsResource> out = new LinkedHashMap<>();
        for (OutboundCluster spec : specs) {
            String name = spec.name().value();
            out.computeIfAbsent(name, n -> XdsResource.endpoints(LoadAssignments.of(n, LoadAssignments.select(
                    snapshot.endpointsOf(spec.service(), spec.port()), spec.subset())),
                    "grpc-outbound: endpoints of " + spec.service().hostname() + " port " + spec.port().port()
                            + spec.subset().map(s -> " subset " + s.name()).orElse("")));
        }
        return List.copyOf(out.values());
    }

    private static String origin(OutboundCluster spec) {
        return "grpc-outbound: " + (spec.service().isKubernetes() ? "Service " : "ServiceEntry ")
                + spec.service().namespace() + "/" + spec.service().name() + " host " + spec.service().hostname()
                + " port " + spec.port().port() + spec.subset().map(s -> " subset " + s.name()).orElse("");
    }
}
