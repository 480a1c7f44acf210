package dev.meshpilot.insight.footprint;

import dev.meshpilot.core.model.WorkloadGroup;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.insight.testing.Examples;
import dev.meshpilot.kube.directory.LoadedMesh;
import dev.meshpilot.kube.directory.MeshLoader;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The analyzer's figures are the generated resources' own: counted and summed from what a proxy is served. */
class FootprintAnalyzerTest {

    @ParameterizedTest
    @ValueSource(strings = {"bookinfo", "online-boutique", "shared-cluster"})
    void countsAndBytes_equalWhatTheGeneratorServesTheSameProxy(String example) {
        MeshSnapshot snapshot = Examples.snapshot(example);
        List<WorkloadMeasurement> rows = Examples.measurements(example);
        SidecarScopes scopes = new SidecarScopes(snapshot);
        ProxyConfigGenerator generator = new ProxyConfigGenerator();

        assertThat(rows).isNotEmpty();
        // Independent generation is unshared and slow: one workload per namespace is enough to compare.
        Set<String> namespacesSeen = new java.util.HashSet<>();
        for (WorkloadMeasurement row : rows) {
            if (!namespacesSeen.add(row.workload().namespace()) && example.equals("shared-cluster")) {
                continue;
            }
            String pod = row.workload().representative();
            String name = pod.substring(0, pod.length() - row.workload().namespace().length() - 1);
            ProxyIdentity proxy = ProxyIdentities.fromWorkload(
                    snapshot.findWorkload(name, row.workload().namespace()).orElseThrow());
            ProxyScope scope = scopes.scopeFor(proxy);
            ProxyResources served = generator.generate(snapshot, proxy, scope);
            ProxyFootprint f = row.footprint();

            assertThat(f.scopeName()).isEqualTo(scope.name());
            assertThat(f.counts().clusters()).as(pod).isEqualTo(served.clusters().size());
            assertThat(f.counts().listeners()).as(pod).isEqualTo(served.listeners().size());
            assertThat(f.counts().endpoints()).as(pod).isEqualTo(lbEndpoints(served));
            assertThat(f.counts().virtualHosts()).as(pod).isEqualTo(virtualHosts(served));
            assertThat(f.bytes().clusters()).as(pod).isEqualTo(bytes(served, XdsType.CLUSTER));
            assertThat(f.bytes().endpoints()).as(pod).isEqualTo(bytes(served, XdsType.ENDPOINT));
            assertThat(f.bytes().listeners()).as(pod).isEqualTo(bytes(served, XdsType.LISTENER));
            assertThat(f.bytes().routes()).as(pod).isEqualTo(bytes(served, XdsType.ROUTE));
            assertThat(f.bytes().total()).as(pod).isEqualTo(served.totalBytes());
            assertThat(f.estimate()).isPresent();
        }
    }

    @Test
    void bookinfo_hasOneRowPerDeployment_withItsReplicaCount() {
        MeshSnapshot snapshot = Examples.snapshot("bookinfo");
        List<WorkloadMeasurement> rows = Examples.measurements("bookinfo");

        assertThat(rows).extracting(r -> r.workload().id()).containsExactlyElementsOf(snapshot.workloadGroups()
                .stream().map(g -> g.namespace() + "/" + g.name()).sorted().toList());
        for (WorkloadMeasurement row : rows) {
            WorkloadGroup group = snapshot.workloadGroups().stream()
                    .filter(g -> g.name().equals(row.workload().name())).findFirst().orElseThrow();
            assertThat(row.workload().replicas()).isEqualTo(group.replicas());
            assertThat(row.workload().kind()).isEqualTo(group.kind());
        }
    }

    @Test
    void givenPods_areTheWorkloadsProxies_notItsReplicaField(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("mesh.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: ns}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template: {metadata: {labels: {app: web}}}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web-7d9f-a, namespace: ns, labels: {app: web}}
                status: {podIP: 10.1.0.1}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web-7d9f-b, namespace: ns, labels: {app: web}}
                status: {podIP: 10.1.0.2}
                """);
        LoadedMesh mesh = MeshLoader.load(dir);
        assertThat(mesh.errors()).isEmpty();

        List<WorkloadMeasurement> rows = Examples.analyzer().analyze(mesh.snapshot());

        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.workload().id()).isEqualTo("ns/web");
            assertThat(r.workload().replicas()).isEqualTo(2);
            assertThat(r.workload().representative()).isEqualTo("web-7d9f-a.ns");
        });
    }

    @Test
    void controlPlaneNamespace_isLeftOut() {
        List<WorkloadMeasurement> rows = Examples.measurements("shared-cluster");

        assertThat(Examples.snapshot("shared-cluster").workloadGroups())
                .anyMatch(g -> g.namespace().equals("istio-system"));
        assertThat(rows).noneMatch(r -> r.workload().namespace().equals("istio-system"));
    }

    @Test
    void skippedNamespace_hasNoRows() {
        FootprintAnalyzer skipDefault = new FootprintAnalyzer(new ProxyConfigGenerator(),
                ProxyFootprints.istioDefaults(2), ProxyKind.SIDECAR, Set.of("default"));

        assertThat(skipDefault.analyze(Examples.snapshot("bookinfo"))).isEmpty();
    }

    @Test
    void proxylessGrpc_getsFiguresButNoEnvoyEstimate() {
        FootprintAnalyzer grpc = new FootprintAnalyzer(new ProxyConfigGenerator(), ProxyFootprints.istioDefaults(2),
                ProxyKind.PROXYLESS_GRPC, Set.of("istio-system"));

        List<WorkloadMeasurement> rows = grpc.analyze(Examples.snapshot("online-boutique"));

        assertThat(rows).isNotEmpty().allMatch(r -> r.footprint().estimate().isEmpty())
                .allMatch(r -> r.footprint().kind() == ProxyKind.PROXYLESS_GRPC)
                .anyMatch(r -> r.footprint().bytes().total() > 0);
    }

    @Test
    void reachable_holdsEveryScopeServicePort() {
        List<WorkloadMeasurement> rows = Examples.measurements("bookinfo");

        assertThat(rows.get(0).reaches("reviews.default.svc.cluster.local", 9080)).isTrue();
        assertThat(rows.get(0).reaches("reviews.default.svc.cluster.local", 9081)).isFalse();
    }

    private static long lbEndpoints(ProxyResources served) {
        long n = 0;
        for (XdsResource r : served.endpoints().resources()) {
            for (LocalityLbEndpoints l : ((ClusterLoadAssignment) r.proto()).getEndpointsList()) {
                n += l.getLbEndpointsCount();
            }
        }
        for (XdsResource r : served.clusters().resources()) {
            for (LocalityLbEndpoints l : ((Cluster) r.proto()).getLoadAssignment().getEndpointsList()) {
                n += l.getLbEndpointsCount();
            }
        }
        return n;
    }

    private static int virtualHosts(ProxyResources served) {
        return served.routes().resources().stream()
                .mapToInt(r -> ((RouteConfiguration) r.proto()).getVirtualHostsCount()).sum();
    }

    private static long bytes(ProxyResources served, XdsType type) {
        return served.get(type).resources().stream().mapToLong(r -> r.bytes().size()).sum();
    }
}
