package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedOutboundTest {

    private final ProxyConfigGenerator generator = new ProxyConfigGenerator();

    @Test
    void oneOutboundPart_servesEveryProxyOfTheScope_withTheirOwnInbound() {
        TestMesh mesh = TestMesh.bookinfo();
        MeshSnapshot snapshot = mesh.snapshot();
        ProxyScope scope = mesh.scope("default");
        OutboundResources shared = generator.outbound(snapshot, scope, ProxyIdentity.ProxyKind.SIDECAR);
        ProxyIdentity reviews = TestMesh.sidecar("reviews-v1-0", "default", "10.0.0.21", Map.of("app", "reviews"));
        ProxyIdentity ratings = TestMesh.sidecar("ratings-v1-0", "default", "10.0.0.31", Map.of("app", "ratings"));
        ProxyResources a = generator.generate(snapshot, reviews, shared);
        ProxyResources b = generator.generate(snapshot, ratings, shared);
        assertThat(a).isEqualTo(generator.generate(snapshot, reviews, scope));
        assertThat(a.routes()).isEqualTo(b.routes());
        assertThat(a.endpoints()).isEqualTo(b.endpoints());
        for (var resource : shared.get(XdsType.CLUSTER)) {
            assertThat(a.clusters().get(resource.name()).orElseThrow()).isSameAs(resource);
        }
        // inbound is per workload: same port, but each names its own service
        assertThat(a.clusters().get("inbound|9080||")).isNotEqualTo(b.clusters().get("inbound|9080||"));
    }

    @Test
    void outboundForAnotherKind_isRefused() {
        TestMesh mesh = TestMesh.bookinfo();
        OutboundResources grpc = generator.outbound(mesh.snapshot(), mesh.scope("default"),
                ProxyIdentity.ProxyKind.PROXYLESS_GRPC);
        assertThatThrownBy(() -> generator.generate(mesh.snapshot(),
                TestMesh.sidecar("p", "default", "10.0.0.1", Map.of()), grpc))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refreshEndpoints_changesOnlyEndpoints() {
        TestMesh mesh = TestMesh.bookinfo();
        MeshSnapshot before = mesh.snapshot();
        OutboundResources old = generator.outbound(before, mesh.scope("default"), ProxyIdentity.ProxyKind.SIDECAR);
        mesh.pod("reviews-v2-1", "default", "10.0.0.23", Map.of("app", "reviews", "version", "v2"));
        MeshSnapshot after = mesh.snapshot();
        OutboundResources refreshed = generator.refreshEndpoints(after, old);
        assertThat(refreshed.get(XdsType.CLUSTER)).isEqualTo(old.get(XdsType.CLUSTER));
        assertThat(refreshed.get(XdsType.ROUTE)).isEqualTo(old.get(XdsType.ROUTE));
        ClusterLoadAssignment v2 = (ClusterLoadAssignment) refreshed.get(XdsType.ENDPOINT).stream()
                .filter(r -> r.name().equals("outbound|9080|v2|reviews.default.svc.cluster.local")).findFirst()
                .orElseThrow().proto();
        assertThat(v2.getEndpoints(0).getLbEndpointsCount()).isEqualTo(2);
        assertThat(refreshed.get(XdsType.ENDPOINT)).isNotEqualTo(old.get(XdsType.ENDPOINT));
    }

    @Test
    void refreshEndpointsWithAMemo_rebuildsOnlyTheAssignmentsWhoseEndpointsChanged() {
        TestMesh mesh = TestMesh.bookinfo();
        LoadAssignmentMemo memo = LoadAssignmentMemo.create();
        OutboundResources old = generator.outbound(mesh.snapshot(), mesh.scope("default"),
                ProxyIdentity.ProxyKind.SIDECAR, memo);
        mesh.pod("reviews-v2-1", "default", "10.0.0.23", Map.of("app", "reviews", "version", "v2"));
        MeshSnapshot after = mesh.snapshot();
        OutboundResources refreshed = generator.refreshEndpoints(after, old, memo.next());
        OutboundResources fromScratch = generator.refreshEndpoints(after, old);
        assertThat(refreshed.set(XdsType.ENDPOINT)).isEqualTo(fromScratch.set(XdsType.ENDPOINT));
        // what an endpoint change cannot touch is not rebuilt either: the very same sets are kept
        assertThat(refreshed.set(XdsType.LISTENER)).isSameAs(old.set(XdsType.LISTENER));
        assertThat(refreshed.set(XdsType.ROUTE)).isSameAs(old.set(XdsType.ROUTE));
        assertThat(refreshed.set(XdsType.CLUSTER)).isSameAs(old.set(XdsType.CLUSTER));
        Map<String, XdsResource> before = byName(old.get(XdsType.ENDPOINT));
        for (XdsResource now : refreshed.get(XdsType.ENDPOINT)) {
            boolean reviewsChanged = now.name().equals("outbound|9080||reviews.default.svc.cluster.local")
                    || now.name().equals("outbound|9080|v2|reviews.default.svc.cluster.local");
            if (reviewsChanged) {
                assertThat(now).as(now.name()).isNotEqualTo(before.get(now.name()));
            } else {
                assertThat(now).as(now.name()).isSameAs(before.get(now.name()));
            }
        }
    }

    @Test
    void scopesSharingAMemo_shareTheirAssignments_andTheNoneMemoSharesNothing() {
        TestMesh mesh = TestMesh.bookinfo();
        LoadAssignmentMemo memo = LoadAssignmentMemo.create();
        OutboundResources sidecar = generator.outbound(mesh.snapshot(), mesh.scope("default"),
                ProxyIdentity.ProxyKind.SIDECAR, memo);
        OutboundResources again = generator.outbound(mesh.snapshot(), mesh.scope("default"),
                ProxyIdentity.ProxyKind.SIDECAR, memo);
        OutboundResources unshared = generator.outbound(mesh.snapshot(), mesh.scope("default"),
                ProxyIdentity.ProxyKind.SIDECAR, LoadAssignmentMemo.none());
        OutboundResources grpc = generator.outbound(mesh.snapshot(), mesh.scope("default"),
                ProxyIdentity.ProxyKind.PROXYLESS_GRPC, memo);
        XdsResource first = sidecar.get(XdsType.ENDPOINT).get(0);
        assertThat(byName(again.get(XdsType.ENDPOINT)).get(first.name())).isSameAs(first);
        assertThat(byName(unshared.get(XdsType.ENDPOINT)).get(first.name())).isEqualTo(first).isNotSameAs(first);
        // a proxyless client's assignment of the same cluster is its own resource (another origin)
        XdsResource grpcOne = byName(grpc.get(XdsType.ENDPOINT)).get(first.name());
        assertThat(grpcOne).isNotSameAs(first);
        assertThat(grpcOne.origin()).startsWith("grpc-outbound");
    }

    @Test
    void scopesOfTwoNamespaces_sharingAMemo_holdOneInstanceOfEachEqualCluster_butTheirOwnRoutes() {
        TestMesh mesh = TestMesh.bookinfo();
        LoadAssignmentMemo memo = LoadAssignmentMemo.create();
        OutboundResources home = generator.outbound(mesh.snapshot(), mesh.scope("default"),
                ProxyIdentity.ProxyKind.SIDECAR, memo);
        OutboundResources elsewhere = generator.outbound(mesh.snapshot(), mesh.scope("other"),
                ProxyIdentity.ProxyKind.SIDECAR, memo);
        Map<String, XdsResource> clusters = byName(elsewhere.get(XdsType.CLUSTER));
        for (XdsResource cluster : home.get(XdsType.CLUSTER)) {
            assertThat(clusters.get(cluster.name())).as(cluster.name()).isSameAs(cluster);
        }
        // short host names are valid only from the service's namespace: the route configurations differ
        assertThat(home.set(XdsType.ROUTE).version()).isNotEqualTo(elsewhere.set(XdsType.ROUTE).version());
        java.util.Set<XdsResource> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        int held = 0;
        for (XdsType type : XdsType.values()) {
            distinct.addAll(home.get(type));
            distinct.addAll(elsewhere.get(type));
            held += home.get(type).size() + elsewhere.get(type).size();
        }
        assertThat(memo.interner().size()).isEqualTo(distinct.size()).isLessThan(held);

        OutboundResources unshared = generator.outbound(mesh.snapshot(), mesh.scope("other"),
                ProxyIdentity.ProxyKind.SIDECAR, LoadAssignmentMemo.none());
        XdsResource first = home.get(XdsType.CLUSTER).get(0);
        assertThat(byName(unshared.get(XdsType.CLUSTER)).get(first.name())).isEqualTo(first).isNotSameAs(first);
    }

    private static Map<String, XdsResource> byName(List<XdsResource> resources) {
        Map<String, XdsResource> out = new java.util.LinkedHashMap<>();
        resources.forEach(r -> out.put(r.name(), r));
        return out;
    }

    @Test
    void refreshEndpoints_refreshesDnsClustersInline_andRegeneratesWhenOneDisappears() {
        TestMesh mesh = new TestMesh();
        mesh.services.add(new MeshService("*.vm.example.com", "default", MeshService.Registry.EXTERNAL,
                dev.meshpilot.core.model.ObjectMeta.of("default", "vms"),
                List.of(TestMesh.port("tcp", 9000, 9000, Protocol.TCP)), Map.of("app", "vm"), List.of(),
                MeshService.Resolution.DNS, List.of(), true, List.of()));
        mesh.pod("vm-0", "default", "10.0.5.1", Map.of("app", "vm"));
        ProxyScope scope = mesh.scope("default");
        OutboundResources old = generator.outbound(mesh.snapshot(), scope, ProxyIdentity.ProxyKind.SIDECAR);

        mesh.pod("vm-1", "default", "10.0.5.2", Map.of("app", "vm"));
        OutboundResources refreshed = generator.refreshEndpoints(mesh.snapshot(), old);
        Cluster dns = (Cluster) refreshed.get(XdsType.CLUSTER).stream()
                .filter(c -> c.name().equals("outbound|9000||*.vm.example.com")).findFirst().orElseThrow().proto();
        assertThat(dns.getLoadAssignment().getEndpoints(0).getLbEndpointsCount()).isEqualTo(2);
        assertThat(refreshed.get(XdsType.LISTENER)).isEqualTo(old.get(XdsType.LISTENER));

        mesh.pods.clear();
        OutboundResources regenerated = generator.refreshEndpoints(mesh.snapshot(), old);
        assertThat(regenerated.get(XdsType.CLUSTER)).noneMatch(c -> c.name().contains("example.com"));
        assertThat(regenerated.get(XdsType.LISTENER)).noneMatch(l -> l.name().equals("0.0.0.0_9000"));
        assertThat(old.get(XdsType.LISTENER)).anyMatch(l -> l.name().equals("0.0.0.0_9000"));
    }
}
