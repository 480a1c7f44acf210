package dev.meshpilot.xds.generate;

import dev.meshpilot.core.authn.EffectivePeerAuthentication;
import dev.meshpilot.core.authn.PeerAuthentications;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.core.scope.ProxyScope;
import io.envoyproxy.envoy.config.core.v3.Address;

import java.util.List;
import java.util.Optional;

/**
 * Everything a sidecar's inbound part is made from, and nothing else: its kind, its inbound ports, its effective
 * PeerAuthentication (istio-proxy only) and the resolved {@code defaultEndpoint} of each port. Two proxies with equal
 * inputs get byte-identical inbound resources, so the pods of one workload (and workloads shaped alike) share them.
 *
 * @param endpoints per port, in the order of {@code ports}: the address its inbound cluster forwards to, empty for
 *                  original destination
 */
record InboundInputs(ProxyKind kind, List<InboundPorts.InboundPort> ports,
                     Optional<EffectivePeerAuthentication> peerAuthentication, List<Optional<Address>> endpoints) {

    InboundInputs {
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    /** Proxyless gRPC clients have no inbound part. */
    static InboundInputs none(ProxyKind kind) {
        return new InboundInputs(kind, List.of(), Optional.empty(), List.of());
    }

    static InboundInputs of(MeshSnapshot snapshot, ProxyIdentity proxy, ProxyScope scope) {
        if (!proxy.kind().isEnvoy()) {
            return none(proxy.kind());
        }
        List<InboundPorts.InboundPort> ports = InboundPorts.of(snapshot, proxy, scope);
        List<Optional<Address>> endpoints = ports.stream()
                .map(port -> port.defaultEndpoint().flatMap(e -> IngressEndpoint.resolve(e, proxy.ip())))
                .toList();
        Optional<EffectivePeerAuthentication> peerAuthentication = proxy.kind().hasIstioExtensions()
                ? Optional.of(PeerAuthentications.of(snapshot).forWorkload(proxy.namespace(), proxy.labels()))
                : Optional.empty();
        return new InboundInputs(proxy.kind(), ports, peerAuthentication, endpoints);
    }
}
