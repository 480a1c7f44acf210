package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.LabelSelector;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.NamespaceInfo;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.SidecarResource.EgressListener;
import dev.meshpilot.core.model.SidecarResource.ListenerPort;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.model.VirtualServiceResource.Destination;
import dev.meshpilot.core.model.VirtualServiceResource.HttpMatch;
import dev.meshpilot.core.model.VirtualServiceResource.HttpRoute;
import dev.meshpilot.core.model.VirtualServiceResource.L4Route;
import dev.meshpilot.core.model.VirtualServiceResource.RouteDestination;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Test-only builder of meshes made of the model records, and a compact rendering of scopes for assertions. */
final class TestMesh {

    private MeshConfig config = MeshConfig.DEFAULT;
    private final List<NamespaceInfo> namespaces = new ArrayList<>();
    private final List<MeshService> services = new ArrayList<>();
    private final List<SidecarResource> sidecars = new ArrayList<>();
    private final List<VirtualServiceResource> virtualServices = new ArrayList<>();
    private final List<DestinationRuleResource> destinationRules = new ArrayList<>();

    static TestMesh mesh() {
        return new TestMesh();
    }

    static Instant t(int seconds) {
        return Instant.EPOCH.plusSeconds(seconds);
    }

    TestMesh config(MeshConfig mesh) {
        this.config = mesh;
        return this;
    }

    TestMesh defaultServiceExportTo(String... values) {
        config = new MeshConfig(config.rootNamespace(), List.of(values), config.defaultVirtualServiceExportTo(),
                config.defaultDestinationRuleExportTo(), config.outboundTrafficPolicy(), config.discoverySelectors(),
                config.domainSuffix());
        return this;
    }

    TestMesh defaultVirtualServiceExportTo(String... values) {
        config = new MeshConfig(config.rootNamespace(), config.defaultServiceExportTo(), List.of(values),
                config.defaultDestinationRuleExportTo(), config.outboundTrafficPolicy(), config.discoverySelectors(),
                config.domainSuffix());
        return this;
    }

    TestMesh rootNamespace(String root) {
        config = new MeshConfig(root, config.defaultServiceExportTo(), config.defaultVirtualServiceExportTo(),
                config.defaultDestinationRuleExportTo(), config.outboundTrafficPolicy(), config.discoverySelectors(),
                config.domainSuffix());
        return this;
    }

    TestMesh outboundTrafficPolicy(OutboundTrafficPolicy policy) {
        config = config.withOutboundTrafficPolicy(policy);
        return this;
    }

    TestMesh discoverySelector(Map<String, String> matchLabels) {
        List<LabelSelector> selectors = new ArrayList<>(config.discoverySelectors());
        selectors.add(new LabelSelector(matchLabels, List.of()));
        config = new MeshConfig(config.rootNamespace(), config.defaultServiceExportTo(),
                config.defaultVirtualServiceExportTo(), config.defaultDestinationRuleExportTo(),
                config.outboundTrafficPolicy(), selectors, config.domainSuffix());
        return this;
    }

    TestMesh namespace(String name, Map<String, String> labels) {
        namespaces.add(new NamespaceInfo(name, labels));
        return this;
    }

    TestMesh add(Object... objects) {
        for (Object o : objects) {
            if (o instanceof MeshService s) {
                services.add(s);
            } else if (o instanceof SidecarResource s) {
                sidecars.add(s);
            } else if (o instanceof VirtualServiceResource v) {
                virtualServices.add(v);
            } else if (o instanceof DestinationRuleResource d) {
                destinationRules.add(d);
            } else {
                throw new IllegalArgumentException("unsupported test object " + o);
            }
        }
        return this;
    }

    MeshConfig meshConfig() {
        return config;
    }

    MeshSnapshot snapshot() {
        return new MeshSnapshot(1, config, namespaces, services, List.of(), List.of(), List.of(), sidecars,
                virtualServices, destinationRules);
    }

    SidecarScopes scopes() {
        return new SidecarScopes(snapshot());
    }

    // ---- services -----------------------------------------------------------------------------------------------

    static ServicePort port(int number) {
        return ServicePort.of("http-" + number, number, Protocol.HTTP);
    }

    static List<ServicePort> ports(int... numbers) {
        return Arrays.stream(numbers).mapToObj(TestMesh::port).toList();
    }

    /** A Kubernetes Service NAME.NS.svc.cluster.local created at the epoch. */
    static MeshService k8s(String name, String ns, int... ports) {
        return k8s(name, ns, Instant.EPOCH, List.of(), ports);
    }

    static MeshService k8s(String name, String ns, Instant created, List<String> exportTo, int... ports) {
        return new MeshService(name + "." + ns + ".svc.cluster.local", ns, MeshService.Registry.KUBERNETES,
                new ObjectMeta(ns, name, created, Map.of(), Map.of()), ports(ports), Map.of("app", name), exportTo,
                MeshService.Resolution.CLIENT_SIDE_LB, List.of("10.0.0.1"), false, List.of());
    }

    static MeshService exported(MeshService s, String... exportTo) {
        return new MeshService(s.hostname(), s.namespace(), s.registry(), s.origin(), s.ports(), s.selector(),
                List.of(exportTo), s.resolution(), s.addresses(), s.meshExternal(), s.endpoints());
    }

    static MeshService created(MeshService s, Instant created) {
        return new MeshService(s.hostname(), s.namespace(), s.registry(), s.origin().withCreationTimestamp(created),
                s.ports(), s.selector(), s.declaredExportTo(), s.resolution(), s.addresses(), s.meshExternal(),
                s.endpoints());
    }

    /** One host of a ServiceEntry named {@code seName}. */
    static MeshService se(String seName, String ns, String host, int... ports) {
        return se(seName, ns, host, MeshService.Resolution.DNS, Instant.EPOCH, ports);
    }

    static MeshService se(String seName, String ns, String host, MeshService.Resolution resolution, Instant created,
                          int... ports) {
        return new MeshService(host, ns, MeshService.Registry.EXTERNAL,
                new ObjectMeta(ns, seName, created, Map.of(), Map.of()), ports(ports), Map.of(), List.of(), resolution,
                List.of(), true, List.of());
    }

    // ---- sidecars ------------------------------------------------------------------------------------------------

    static EgressListener hosts(String... hosts) {
        return EgressListener.ofHosts(hosts);
    }

    static EgressListener portListener(int number, String protocol, String... hosts) {
        return new EgressListener(Optional.of(new ListenerPort(number, protocol, "p" + number)), "", "DEFAULT",
                List.of(hosts));
    }

    /** A namespace-wide Sidecar (no workloadSelector). */
    static SidecarResource sidecar(String ns, String name, Instant created, EgressListener... egress) {
        return new SidecarResource(new ObjectMeta(ns, name, created, Map.of(), Map.of()), Optional.empty(),
                List.of(egress), List.of(), Optional.empty());
    }

    static SidecarResource selecting(String ns, String name, Instant created, Map<String, String> selector,
                                     EgressListener... egress) {
        return new SidecarResource(new ObjectMeta(ns, name, created, Map.of(), Map.of()), Optional.of(selector),
                List.of(egress), List.of(), Optional.empty());
    }

    static SidecarResource withPolicy(SidecarResource s, OutboundTrafficPolicy policy) {
        return new SidecarResource(s.meta(), s.workloadSelector(), s.egress(), s.ingress(), Optional.of(policy));
    }

    // ---- virtual services and destination rules -------------------------------------------------------------------

    /** A mesh VirtualService with one HTTP route per destination {@code host} or {@code host:port}. */
    static VirtualServiceResource vs(String ns, String name, List<String> hosts, String... destinations) {
        List<RouteDestination> route = Arrays.stream(destinations).map(TestMesh::destination)
                .map(d -> new RouteDestination(d, 0)).toList();
        return new VirtualServiceResource(new ObjectMeta(ns, name, Instant.EPOCH, Map.of(), Map.of()), hosts,
                List.of(), List.of(), List.of(new HttpRoute("", List.of(), route, Optional.empty(), List.of(),
                Optional.empty(), Optional.empty())), List.of(), List.of());
    }

    static VirtualServiceResource vsExportTo(VirtualServiceResource v, String... exportTo) {
        return new VirtualServiceResource(v.meta(), v.hosts(), v.gateways(), List.of(exportTo), v.http(), v.tcp(), v.tls());
    }

    static VirtualServiceResource vsGateways(VirtualServiceResource v, String... gateways) {
        return new VirtualServiceResource(v.meta(), v.hosts(), List.of(gateways), v.exportTo(), v.http(), v.tcp(), v.tls());
    }

    /** A VirtualService whose single HTTP rule only applies to callers from {@code sourceNamespace}. */
    static VirtualServiceResource vsFromSource(String ns, String name, List<String> hosts, String sourceNamespace,
                                               String destination) {
        HttpMatch match = new HttpMatch(Optional.empty(), Map.of(), sourceNamespace, 0);
        return new VirtualServiceResource(new ObjectMeta(ns, name, Instant.EPOCH, Map.of(), Map.of()), hosts,
                List.of(), List.of(), List.of(new HttpRoute("", List.of(match),
                List.of(new RouteDestination(destination(destination), 0)), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty())), List.of(), List.of());
    }

    static VirtualServiceResource tcpVs(String ns, String name, List<String> hosts, String destination) {
        return new VirtualServiceResource(new ObjectMeta(ns, name, Instant.EPOCH, Map.of(), Map.of()), hosts,
                List.of(), List.of(), List.of(), List.of(new L4Route(List.of(), List.of(),
                List.of(new RouteDestination(destination(destination), 0)))), List.of());
    }

    private static Destination destination(String spec) {
        int colon = spec.lastIndexOf(':');
        return colon < 0 ? new Destination(spec, "", 0)
                : new Destination(spec.substring(0, colon), "", Integer.parseInt(spec.substring(colon + 1)));
    }

    static DestinationRuleResource dr(String ns, String name, String host, String... exportTo) {
        return new DestinationRuleResource(new ObjectMeta(ns, name, Instant.EPOCH, Map.of(), Map.of()), host,
                List.of(new DestinationRuleResource.Subset("v1", Map.of("version", "v1"))), List.of(exportTo),
                Optional.empty());
    }

    static DestinationRuleResource drSelecting(String ns, String name, String host, Map<String, String> selector) {
        return new DestinationRuleResource(new ObjectMeta(ns, name, Instant.EPOCH, Map.of(), Map.of()), host,
                List.of(), List.of(), Optional.of(selector));
    }

    // ---- proxies and rendering ----------------------------------------------------------------------------------

    static ProxyIdentity proxy(String ns, String... labelPairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i + 1 < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return new ProxyIdentity("pod-" + ns, ns, labels, "10.1.1.1", ProxyKind.SIDECAR);
    }

    /**
     * The scope's service list as compact strings, in scope order: {@code name.ns:ports} for Kubernetes services,
     * {@code host@ns:ports} for ServiceEntries.
     */
    static List<String> render(ProxyScope scope) {
        return scope.services().stream().map(TestMesh::render).toList();
    }

    static String render(MeshService s) {
        String ports = s.ports().stream().map(p -> String.valueOf(p.port())).collect(Collectors.joining(","));
        if (s.isKubernetes()) {
            return s.hostname().replace(".svc.cluster.local", "") + ":" + ports;
        }
        return s.hostname() + "@" + s.namespace() + ":" + ports;
    }
}
