package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.ServiceEndpoint;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.generate.ServiceClusters.OutboundCluster;
import dev.meshpilot.xds.naming.ClusterName;
import dev.meshpilot.xds.naming.XdsNames;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Pipe;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Envoy sidecar clusters in Istio's layout: outbound (R33), inbound (R34) and the fixed ones (R35). */
final class SidecarClusters {

    private SidecarClusters() {
    }

    /**
     * One outbound cluster, or empty when a DNS cluster has no endpoints (omitted, as Istio does). With
     * {@code upstreamTls} (istio-proxy) the cluster originates TLS as istiod decides; plain Envoy gets none of it.
     */
    static Optional<XdsResource> outbound(MeshSnapshot snapshot, OutboundCluster spec, ProxyKind kind,
                                          Optional<UpstreamTls> upstreamTls) {
        String name = spec.name().value();
        Cluster.Builder cluster = Cluster.newBuilder()
                .setName(name)
                .setAltStatName(XdsNames.delimitedStatName(name))
                .setConnectTimeout(Protos.seconds(ClusterProtos.CONNECT_TIMEOUT_SECONDS));
        switch (spec.discovery()) {
            case EDS -> cluster.setType(Cluster.DiscoveryType.EDS)
                    .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                            .setEdsConfig(Protos.ads(true))
                            .setServiceName(name));
            case STRICT_DNS, LOGICAL_DNS -> {
                List<ServiceEndpoint> endpoints = LoadAssignments.select(
                        snapshot.endpointsOf(spec.service(), spec.port()), spec.subset());
                if (endpoints.isEmpty()) {
                    return Optional.empty();
                }
                cluster.setType(spec.discovery() == ServiceClusters.Discovery.STRICT_DNS
                                ? Cluster.DiscoveryType.STRICT_DNS : Cluster.DiscoveryType.LOGICAL_DNS)
                        .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY)
                        .setRespectDnsTtl(true)
                        .setLoadAssignment(LoadAssignments.of(name, endpoints,
                                new EndpointMetadata(kind, snapshot, spec.service())));
            }
            case ORIGINAL_DST -> cluster.setType(Cluster.DiscoveryType.ORIGINAL_DST)
                    .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
        }
        cluster.setCircuitBreakers(ClusterProtos.unlimitedCircuitBreakers())
                .setCommonLbConfig(Cluster.CommonLbConfig.getDefaultInstance())
                .setMetadata(ClusterProtos.istioMetadata(List.of(spec.service()), spec.destinationRule(),
                        spec.subset().map(s -> s.name())));
        ClusterProtos.addProtocolOptions(cluster, spec.port().protocol());
        ClusterTrafficPolicy.apply(cluster, spec.trafficPolicy());
        if (kind.hasIstioExtensions()) {
            cluster.addFilters(IstioFilters.clusterMetadataExchange());
        }
        upstreamTls.ifPresent(tls -> tls.apply(cluster, spec));
        return Optional.of(XdsResource.cluster(cluster.build(), origin(spec)));
    }

    /**
     * {@code BlackHoleCluster}, {@code PassthroughCluster}, {@code InboundPassthroughCluster} (R35). The passthrough
     * clusters speak HTTP upstream as the downstream spoke it ({@link ClusterProtos#passthroughProtocolOptions}); an
     * istio-proxy's PassthroughCluster exchanges metadata, as istiod's {@code buildDefaultPassthroughCluster} does.
     */
    static List<XdsResource> fixed(ProxyKind kind) {
        List<XdsResource> out = new ArrayList<>();
        out.add(XdsResource.cluster(Cluster.newBuilder()
                .setName(XdsNames.BLACK_HOLE_CLUSTER)
                .setAltStatName(XdsNames.delimitedStatName(XdsNames.BLACK_HOLE_CLUSTER))
                .setType(Cluster.DiscoveryType.STATIC)
                .setConnectTimeout(Protos.seconds(ClusterProtos.CONNECT_TIMEOUT_SECONDS))
                .build(), "sidecar-fixed: drops traffic (REGISTRY_ONLY, loops)"));
        out.add(XdsResource.cluster(Cluster.newBuilder()
                .setName(XdsNames.PASSTHROUGH_CLUSTER)
                .setAltStatName(XdsNames.delimitedStatName(XdsNames.PASSTHROUGH_CLUSTER))
                .setType(Cluster.DiscoveryType.ORIGINAL_DST)
                .setConnectTimeout(Protos.seconds(ClusterProtos.CONNECT_TIMEOUT_SECONDS))
                .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
                .setCircuitBreakers(ClusterProtos.unlimitedCircuitBreakers())
                .putTypedExtensionProtocolOptions(ClusterProtos.HTTP_PROTOCOL_OPTIONS,
                        Protos.pack(ClusterProtos.passthroughProtocolOptions()))
                .addAllFilters(kind.hasIstioExtensions() ? List.of(IstioFilters.clusterMetadataExchange()) : List.of())
                .build(), "sidecar-fixed: outbound traffic to unknown destinations (ALLOW_ANY)"));
        out.add(XdsResource.cluster(Cluster.newBuilder()
                .setName(XdsNames.INBOUND_PASSTHROUGH_CLUSTER)
                // istiod derives it from PassthroughCluster and keeps that cluster's stat name
                .setAltStatName(XdsNames.delimitedStatName(XdsNames.PASSTHROUGH_CLUSTER))
                .setType(Cluster.DiscoveryType.ORIGINAL_DST)
                .setConnectTimeout(Protos.seconds(ClusterProtos.CONNECT_TIMEOUT_SECONDS))
                .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
                .setCircuitBreakers(ClusterProtos.unlimitedCircuitBreakers())
                .putTypedExtensionProtocolOptions(ClusterProtos.HTTP_PROTOCOL_OPTIONS,
                        Protos.pack(ClusterProtos.passthroughProtocolOptions()))
                .setUpstreamBindConfig(ClusterProtos.inboundBind())
                .build(), "sidecar-fixed: inbound traffic to undeclared ports"));
        return out;
    }

    /** {@code inbound|PORT||} forwarding to the original destination, from 127.0.0.6 (R34, default inbound policy). */
    static XdsResource inboundPassthrough(InboundPorts.InboundPort port) {
        Cluster.Builder cluster = inboundBase(port)
                .setType(Cluster.DiscoveryType.ORIGINAL_DST)
                .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
                .setCleanupInterval(Protos.seconds(ClusterProtos.NEVER_CLEANUP_SECONDS))
                .setUpstreamBindConfig(ClusterProtos.inboundBind());
        return XdsResource.cluster(cluster.build(), port.origin());
    }

    /** {@code inbound|PORT||} to the Sidecar ingress {@code defaultEndpoint} (STATIC). */
    static XdsResource inboundStatic(InboundPorts.InboundPort port, Address endpoint) {
        String name = ClusterName.inbound(port.port()).value();
        Cluster.Builder cluster = inboundBase(port)
                .setType(Cluster.DiscoveryType.STATIC)
                .setLoadAssignment(ClusterLoadAssignment.newBuilder()
                        .setClusterName(name)
                        .addEndpoints(LocalityLbEndpoints.newBuilder()
                                .addLbEndpoints(LbEndpoint.newBuilder()
                                        .setEndpoint(Endpoint.newBuilder().setAddress(endpoint)))));
        if (!endpoint.hasPipe()) {
            cluster.setUpstreamBindConfig(ClusterProtos.inboundBind());
        }
        return XdsResource.cluster(cluster.build(), port.origin());
    }

    static Address pipe(String path) {
        return Address.newBuilder().setPipe(Pipe.newBuilder().setPath(path)).build();
    }

    private static Cluster.Builder inboundBase(InboundPorts.InboundPort port) {
        Cluster.Builder cluster = Cluster.newBuilder()
                .setName(ClusterName.inbound(port.port()).value())
                .setAltStatName(XdsNames.delimitedStatName(ClusterName.inbound(port.port()).value()))
                .setConnectTimeout(Protos.seconds(ClusterProtos.CONNECT_TIMEOUT_SECONDS))
                .setCircuitBreakers(ClusterProtos.unlimitedCircuitBreakers())
                .setMetadata(ClusterProtos.istioMetadata(port.services(), Optional.empty()));
        ClusterProtos.addProtocolOptions(cluster, port.protocol());
        return cluster;
    }

    private static String origin(OutboundCluster spec) {
        MeshService service = spec.service();
        StringBuilder why = new StringBuilder("sidecar-outbound: ")
                .append(service.isKubernetes() ? "Service " : "ServiceEntry ")
                .append(service.namespace()).append('/').append(service.name())
                .append(" host ").append(service.hostname()).append(" port ").append(spec.port().port());
        spec.subset().ifPresent(s -> why.append(" subset ").append(s.name()));
        spec.destinationRule().ifPresent(r -> why.append(" (DestinationRule ")
                .append(r.meta().namespace()).append('/').append(r.meta().name()).append(')'));
        if (spec.port().protocol() != Protocol.TCP) {
            why.append(" protocol ").append(spec.port().protocol());
        }
        return why.toString();
    }
}
