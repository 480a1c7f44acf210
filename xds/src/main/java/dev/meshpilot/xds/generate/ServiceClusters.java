package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.TrafficPolicy;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.xds.naming.ClusterName;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which outbound clusters a scope yields (R33, R39), before any proto is built: per scope service and non-UDP
 * port the default cluster plus one per subset of the DestinationRule that applies. Shared by the sidecar and
 * the proxyless generators and by routes (which only point at clusters listed here).
 */
final class ServiceClusters {

    private ServiceClusters() {
    }

    /** How Envoy discovers a service's endpoints (Istio's {@code convertResolution} for sidecars). */
    enum Discovery { EDS, STRICT_DNS, LOGICAL_DNS, ORIGINAL_DST }

    /** One outbound cluster to build: the service and port it serves, the subset (if any) and the rule. */
    record OutboundCluster(MeshService service, ServicePort port, Optional<DestinationRuleResource.Subset> subset,
                           Optional<DestinationRuleResource> destinationRule, Discovery discovery) {
        ClusterName name() {
            return ClusterName.outbound(port.port(), subset.map(DestinationRuleResource.Subset::name).orElse(""),
                    service.hostname());
        }

        /** The DestinationRule traffic policy of this cluster's port and subset, merged as Istio merges it. */
        Optional<TrafficPolicy> trafficPolicy() {
            return TrafficPolicy.forPort(destinationRule.flatMap(DestinationRuleResource::trafficPolicy),
                    subset.flatMap(DestinationRuleResource.Subset::trafficPolicy), port.port());
        }
    }

    /** A {@code PASSTHROUGH} load balancer makes any cluster an original-destination one (Istio's applyLoadBalancer). */
    private static Discovery withPolicy(Discovery discovery, OutboundCluster spec) {
        boolean passthrough = spec.trafficPolicy().flatMap(TrafficPolicy::loadBalancer)
                .map(lb -> lb.simple() == TrafficPolicy.Simple.PASSTHROUGH).orElse(false);
        return passthrough ? Discovery.ORIGINAL_DST : discovery;
    }

    static Discovery sidecarDiscovery(MeshService service) {
        return switch (service.resolution()) {
            case CLIENT_SIDE_LB -> Discovery.EDS;
            case DNS -> Discovery.STRICT_DNS;
            case DNS_ROUND_ROBIN -> Discovery.LOGICAL_DNS;
            case PASSTHROUGH -> Discovery.ORIGINAL_DST;
        };
    }

    /** Proxyless gRPC only resolves through EDS: load-balanced and headless Kubernetes services qualify. */
    static boolean servableToGrpc(MeshService service) {
        if (service.isWildcard()) {
            return false;
        }
        return service.resolution() == MeshService.Resolution.CLIENT_SIDE_LB
                || (service.isKubernetes() && service.resolution() == MeshService.Resolution.PASSTHROUGH);
    }

    /** The ports a cluster is built for: all but UDP. */
    static List<ServicePort> clusterPorts(MeshService service) {
        return service.ports().stream().filter(p -> p.protocol() != Protocol.UDP).toList();
    }

    /** All outbound clusters of the scope for a sidecar, in scope order. */
    static List<OutboundCluster> forSidecar(ProxyScope scope) {
        List<OutboundCluster> out = new ArrayList<>();
        for (MeshService service : scope.services()) {
            addClusters(out, scope, service, sidecarDiscovery(service), true);
        }
        return out;
    }

    /** All outbound clusters of the scope for a proxyless gRPC client, in scope order (EDS only). */
    static List<OutboundCluster> forGrpc(ProxyScope scope) {
        List<OutboundCluster> out = new ArrayList<>();
        for (MeshService service : scope.services()) {
            if (servableToGrpc(service)) {
                addClusters(out, scope, service, Discovery.EDS, false);
            }
        }
        return out;
    }

    /** Sidecar clusters follow the traffic policy's choice of discovery; proxyless gRPC only speaks EDS. */
    private static OutboundCluster discoveredAsPolicySays(OutboundCluster spec, boolean sidecar) {
        Discovery discovery = sidecar ? withPolicy(spec.discovery(), spec) : spec.discovery();
        return discovery == spec.discovery() ? spec : new OutboundCluster(spec.service(), spec.port(), spec.subset(),
                spec.destinationRule(), discovery);
    }

    private static void addClusters(List<OutboundCluster> out, ProxyScope scope, MeshService service,
                                    Discovery discovery, boolean sidecar) {
        Optional<DestinationRuleResource> rule = Optional.ofNullable(scope.destinationRules().get(service.hostname()));
        java.util.Set<Integer> seenPorts = new java.util.HashSet<>();
        for (ServicePort port : clusterPorts(service)) {
            if (!seenPorts.add(port.port())) {
                continue;
            }
            out.add(discoveredAsPolicySays(new OutboundCluster(service, port, Optional.empty(), rule, discovery), sidecar));
            if (rule.isPresent()) {
                java.util.Set<String> seenSubsets = new java.util.HashSet<>();
                for (DestinationRuleResource.Subset subset : rule.get().subsets()) {
                    // a repeated subset name would repeat a cluster name; the first declaration wins
                    if (!subset.name().isEmpty() && seenSubsets.add(subset.name())) {
                        out.add(discoveredAsPolicySays(new OutboundCluster(service, port, Optional.of(subset), rule, discovery),
                                sidecar));
                    }
                }
            }
        }
    }
}
