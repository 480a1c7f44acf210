package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.ScopeKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Hand-built meshes and scopes for narrow generator tests (golden tests use the real loader and scoping).
 */
final class TestMesh {

    final List<MeshService> services = new ArrayList<>();
    final List<WorkloadInstance> pods = new ArrayList<>();
    final List<dev.meshpilot.core.model.EndpointSliceInfo> slices = new ArrayList<>();
    final List<VirtualServiceResource> virtualServices = new ArrayList<>();
    final Map<String, DestinationRuleResource> rules = new LinkedHashMap<>();
    final List<dev.meshpilot.core.model.PeerAuthenticationResource> peerAuthentications = new ArrayList<>();
    OutboundTrafficPolicy policy = OutboundTrafficPolicy.ALLOW_ANY;
    Optional<SidecarResource> sidecar = Optional.empty();

    static ServicePort http(int port) {
        return new ServicePort("http", port, port, "", Protocol.HTTP);
    }

    static ServicePort port(String name, int port, int target, Protocol protocol) {
        return new ServicePort(name, port, target, "", protocol);
    }

    TestMesh service(String name, String namespace, String vip, Map<String, String> selector, ServicePort... ports) {
        services.add(new MeshService(name + "." + namespace + ".svc.cluster.local", namespace,
                MeshService.Registry.KUBERNETES, ObjectMeta.of(namespace, name), List.of(ports), selector, List.of(),
                MeshService.Resolution.CLIENT_SIDE_LB, vip == null ? List.of() : List.of(vip), false, List.of()));
        return this;
    }

    TestMesh serviceEntry(String name, String namespace, String host, MeshService.Resolution resolution,
                          List<MeshService.ServiceEntryEndpoint> endpoints, ServicePort... ports) {
        services.add(new MeshService(host, namespace, MeshService.Registry.EXTERNAL, ObjectMeta.of(namespace, name),
                List.of(ports), Map.of(), List.of(), resolution, List.of(), true, endpoints));
        return this;
    }

    TestMesh pod(String name, String namespace, String ip, Map<String, String> labels) {
        pods.add(new WorkloadInstance(ObjectMeta.of(namespace, name).withLabels(labels), ip, "default", "Deployment",
                name, null, false));
        return this;
    }

    TestMesh peerAuthentication(dev.meshpilot.core.model.PeerAuthenticationResource policy) {
        peerAuthentications.add(policy);
        return this;
    }

    TestMesh destinationRule(String host, String namespace, String name, DestinationRuleResource.Subset... subsets) {
        rules.put(host, new DestinationRuleResource(ObjectMeta.of(namespace, name), host, List.of(subsets), List.of(),
                Optional.empty()));
        return this;
    }

    TestMesh destinationRule(DestinationRuleResource rule) {
        rules.put(rule.host(), rule);
        return this;
    }

    TestMesh virtualService(VirtualServiceResource vs) {
        virtualServices.add(vs);
        return this;
    }

    MeshSnapshot snapshot() {
        return new MeshSnapshot(1, MeshConfig.DEFAULT.withOutboundTrafficPolicy(policy), List.of(), services, slices,
                pods, List.of(), List.of(), virtualServices, List.copyOf(rules.values()), peerAuthentications);
    }

    /** A scope holding every service and VirtualService (what the default Sidecar gives in one namespace mesh). */
    ProxyScope scope(String proxyNamespace) {
        SidecarResource.EgressListener all = SidecarResource.EgressListener.ofHosts("*/*");
        return new ProxyScope(new ScopeKey(proxyNamespace, Optional.empty(), Set.of()), ProxyScope.DEFAULT_SIDECAR_NAME,
                proxyNamespace, sidecar, List.of(new ProxyScope.EgressScope(all, services, virtualServices)), services,
                virtualServices, rules, policy, Set.of());
    }

    static ProxyIdentity sidecar(String pod, String namespace, String ip, Map<String, String> labels) {
        return new ProxyIdentity(pod, namespace, labels, ip, ProxyIdentity.ProxyKind.SIDECAR);
    }

    static ProxyIdentity grpc(String pod, String namespace, String ip, Map<String, String> labels) {
        return new ProxyIdentity(pod, namespace, labels, ip, ProxyIdentity.ProxyKind.PROXYLESS_GRPC);
    }

    /** A small bookinfo: productpage, reviews (v1, v2), ratings; a DestinationRule with subsets for reviews. */
    static TestMesh bookinfo() {
        TestMesh mesh = new TestMesh();
        mesh.service("productpage", "default", "10.96.0.10", Map.of("app", "productpage"), http(9080));
        mesh.service("reviews", "default", "10.96.0.11", Map.of("app", "reviews"), http(9080));
        mesh.service("ratings", "default", "10.96.0.12", Map.of("app", "ratings"), http(9080));
        mesh.pod("productpage-v1-0", "default", "10.0.0.10", Map.of("app", "productpage", "version", "v1"));
        mesh.pod("reviews-v1-0", "default", "10.0.0.21", Map.of("app", "reviews", "version", "v1"));
        mesh.pod("reviews-v2-0", "default", "10.0.0.22", Map.of("app", "reviews", "version", "v2"));
        mesh.pod("ratings-v1-0", "default", "10.0.0.31", Map.of("app", "ratings", "version", "v1"));
        mesh.destinationRule("reviews.default.svc.cluster.local", "default", "reviews",
                new DestinationRuleResource.Subset("v1", Map.of("version", "v1")),
                new DestinationRuleResource.Subset("v2", Map.of("version", "v2")));
        return mesh;
    }
}
