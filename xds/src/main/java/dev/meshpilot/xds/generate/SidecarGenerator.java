package dev.meshpilot.xds.generate;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.xds.generate.ServiceClusters.OutboundCluster;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.XdsResource;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Envoy sidecar resources in Istio's layout, split into the scope-shared outbound part and the per-workload inbound part. */
final class SidecarGenerator {

    private SidecarGenerator() {
    }

    /** The outbound part from the scope's cluster specs ({@link ServiceClusters#forSidecar}). */
    static Map<XdsType, List<XdsResource>> outbound(MeshSnapshot snapshot, ProxyScope scope, List<OutboundCluster> specs,
                                                    LoadAssignmentMemo memo, GeneratorOptions options,
                                                    ProxyIdentity.ProxyKind kind) {
        Map<String, XdsResource> clusters = outboundClusters(snapshot, specs, kind, memo);
        for (XdsResource fixed : SidecarClusters.fixed(kind)) {
            clusters.putIfAbsent(fixed.name(), fixed);
        }
        SidecarOutboundListeners listeners = new SidecarOutboundListeners(snapshot, scope, clusters.keySet(), options,
                kind);
        EnumMap<XdsType, List<XdsResource>> out = new EnumMap<>(XdsType.class);
        out.put(XdsType.CLUSTER, List.copyOf(clusters.values()));
        out.put(XdsType.ENDPOINT, LoadAssignments.forClusters(snapshot, specs, kind, memo));
        out.put(XdsType.LISTENER, listeners.listeners());
        out.put(XdsType.ROUTE, listeners.routeConfigurations());
        return out;
    }

    /** Auto-mTLS and DestinationRule TLS are istio-proxy's: it has istio-agent's SDS for certificates. */
    static Optional<UpstreamTls> upstreamTls(MeshSnapshot snapshot, ProxyIdentity.ProxyKind kind) {
        return kind.hasIstioExtensions() ? Optional.of(new UpstreamTls(snapshot)) : Optional.empty();
    }

    /**
     * Every outbound cluster the specs yield now, by name, each made once per mesh state (the memo); DNS clusters
     * without endpoints are absent.
     */
    static Map<String, XdsResource> outboundClusters(MeshSnapshot snapshot, List<OutboundCluster> specs,
                                                     ProxyIdentity.ProxyKind kind, LoadAssignmentMemo memo) {
        Map<String, XdsResource> out = new LinkedHashMap<>();
        Optional<UpstreamTls> upstreamTls = upstreamTls(snapshot, kind);
        for (OutboundCluster spec : specs) {
            memo.cluster(kind, spec, () -> SidecarClusters.outbound(snapshot, spec, kind, upstreamTls))
                    .ifPresent(c -> out.putIfAbsent(c.name(), c));
        }
        return out;
    }

    /** The inbound part: one cluster per inbound port and the virtualInbound listener. */
    static Map<XdsType, List<XdsResource>> inbound(InboundInputs inputs) {
        List<InboundPorts.InboundPort> ports = inputs.ports();
        List<XdsResource> clusters = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            Optional<io.envoyproxy.envoy.config.core.v3.Address> endpoint = inputs.endpoints().get(i);
            clusters.add(endpoint.isPresent()
                    ? SidecarClusters.inboundStatic(ports.get(i), endpoint.get())
                    : SidecarClusters.inboundPassthrough(ports.get(i)));
        }
        EnumMap<XdsType, List<XdsResource>> out = new EnumMap<>(XdsType.class);
        out.put(XdsType.CLUSTER, clusters);
        out.put(XdsType.LISTENER, List.of(new SidecarInboundListener(inputs.kind(),
                new InboundTls(inputs.peerAuthentication())).listener(ports)));
        return out;
    }
}
