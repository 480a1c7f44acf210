package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ports a sidecar accepts inbound traffic on (R34, R41): the Sidecar's {@code ingress} entries when it has
 * some, else every distinct target port of the Kubernetes services selecting the workload, regardless of egress
 * scope or exportTo. The first service (in global service order) declaring a target port decides its protocol.
 */
final class InboundPorts {

    private InboundPorts() {
    }

    /**
     * One inbound port.
     *
     * @param defaultEndpoint the Sidecar ingress {@code defaultEndpoint}; empty for service targets (original destination)
     */
    record InboundPort(int port, Protocol protocol, List<MeshService> services, Optional<String> defaultEndpoint,
                       String origin) {
        InboundPort {
            services = List.copyOf(services);
        }
    }

    static List<InboundPort> of(MeshSnapshot snapshot, ProxyIdentity proxy, ProxyScope scope) {
        List<SidecarResource.IngressListener> ingress = scope.sidecar().map(SidecarResource::ingress).orElse(List.of());
        if (!ingress.isEmpty()) {
            return fromIngress(scope.sidecar().get(), ingress);
        }
        return fromServiceTargets(snapshot.servicesSelecting(workloadOf(snapshot, proxy)));
    }

    /** The registry's pod for the proxy, or one made of the proxy's own namespace and labels (R1). */
    static WorkloadInstance workloadOf(MeshSnapshot snapshot, ProxyIdentity proxy) {
        return snapshot.findWorkload(proxy.podName(), proxy.namespace())
                .orElseGet(() -> new WorkloadInstance(
                        new ObjectMeta(proxy.namespace(), proxy.podName(), Instant.EPOCH, proxy.labels(), Map.of()),
                        proxy.ip(), "", "", "", null, false));
    }

    private static List<InboundPort> fromServiceTargets(List<MeshService> targets) {
        Map<Integer, Protocol> protocols = new LinkedHashMap<>();
        Map<Integer, List<MeshService>> services = new LinkedHashMap<>();
        Map<Integer, String> firstPortName = new LinkedHashMap<>();
        for (MeshService service : targets) {
            for (ServicePort port : service.ports()) {
                if (port.protocol() == Protocol.UDP) {
                    continue;
                }
                int target = port.targetPort() > 0 ? port.targetPort() : port.port();
                protocols.putIfAbsent(target, port.protocol());
                firstPortName.putIfAbsent(target, service.name() + ":" + port.port());
                List<MeshService> list = services.computeIfAbsent(target, k -> new ArrayList<>());
                if (!list.contains(service)) {
                    list.add(service);
                }
            }
        }
        List<InboundPort> out = new ArrayList<>();
        for (Map.Entry<Integer, Protocol> e : protocols.entrySet()) {
            int target = e.getKey();
            StringBuilder origin = new StringBuilder("sidecar-inbound: target port ").append(target).append(" of ");
            List<MeshService> svcs = services.get(target);
            for (int i = 0; i < svcs.size(); i++) {
                origin.append(i == 0 ? "" : ", ").append("Service ").append(svcs.get(i).namespace()).append('/')
                        .append(svcs.get(i).name());
            }
            out.add(new InboundPort(target, e.getValue(), svcs, Optional.empty(), origin.toString()));
        }
        out.sort(java.util.Comparator.comparingInt(InboundPort::port));
        return out;
    }

    private static List<InboundPort> fromIngress(SidecarResource sidecar, List<SidecarResource.IngressListener> ingress) {
        Map<Integer, InboundPort> byPort = new LinkedHashMap<>();
        for (SidecarResource.IngressListener listener : ingress) {
            int number = listener.port().number();
            Protocol protocol = Protocol.forServicePort("TCP", listener.port().protocol(), listener.port().name());
            if (protocol == Protocol.UDP) {
                continue;
            }
            Optional<String> endpoint = listener.defaultEndpoint().isEmpty()
                    ? Optional.empty() : Optional.of(listener.defaultEndpoint());
            byPort.putIfAbsent(number, new InboundPort(number, protocol, List.of(), endpoint,
                    "sidecar-inbound: ingress port " + number + " of Sidecar " + sidecar.meta().namespace() + "/"
                            + sidecar.meta().name()));
        }
        List<InboundPort> out = new ArrayList<>(byPort.values());
        out.sort(java.util.Comparator.comparingInt(InboundPort::port));
        return out;
    }
}
