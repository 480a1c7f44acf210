package dev.meshpilot.insight.footprint;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.insight.generate.GeneratedMesh;
import dev.meshpilot.insight.generate.MeshGenerator;
import dev.meshpilot.insight.generate.SidecarMode;
import dev.meshpilot.insight.generate.TopologyReader;
import dev.meshpilot.insight.testing.Examples;
import dev.meshpilot.insight.whatif.TrafficEdge;
import dev.meshpilot.insight.whatif.TrafficEdges;
import dev.meshpilot.kube.directory.LoadedMesh;
import dev.meshpilot.kube.directory.MeshLoader;
import dev.meshpilot.xds.generate.GeneratorOptions;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.resource.ProxyResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Figures for learned scopes (issue 11): what the learning access loggers add to a proxy's config, and what the
 * REGISTRY_ONLY fallback of a proxy narrowed to the services it was seen calling costs as the mesh grows. Every
 * byte is read by the footprint's own measurement ({@link ProxyFootprints}) from generated resources, so the
 * fallback chains and virtual host are in it. Prints a table; pins only what must hold whatever the numbers.
 */
class LearnedScopeFootprintFiguresTest {

    private static final ProxyFootprints FOOTPRINTS = ProxyFootprints.istioDefaults(2);
    private static final ProxyConfigGenerator TODAY = new ProxyConfigGenerator();
    private static final ProxyConfigGenerator LEARNING = new ProxyConfigGenerator(GeneratorOptions.learning());

    @TempDir
    Path temp;

    @Test
    void accessLoggers_addAFewKilobytesPerProxy() {
        StringBuilder table = new StringBuilder("access-log config added (full Istio scope, sidecar, default options)\n"
                + "PROXY                         LISTENER BYTES TODAY -> WITH LOGGERS  ADDED\n");
        for (String[] pod : List.of(new String[] {"bookinfo", "productpage-v1-0", "default"},
                new String[] {"shared-cluster", "productpage-v1-0", "bookinfo"})) {
            MeshSnapshot mesh = Examples.snapshot(pod[0]);
            ProxyIdentity proxy = proxy(mesh, pod[1], pod[2]);
            ProxyScope scope = new SidecarScopes(mesh).scopeFor(proxy);
            XdsBytes today = bytes(TODAY, mesh, proxy, scope);
            XdsBytes logged = bytes(LEARNING, mesh, proxy, scope);
            table.append(String.format("%-29s %,10d -> %,10d  %,6d%n", pod[0] + " " + pod[1], today.total(),
                    logged.total(), logged.total() - today.total()));
            assertThat(logged.listeners()).isGreaterThan(today.listeners());
            assertThat(logged.clusters()).isEqualTo(today.clusters());
            assertThat(logged.routes()).isEqualTo(today.routes());
        }
        double rate = GeneratorOptions.DEFAULT_IN_SCOPE_SAMPLE_RATE;
        table.append(String.format("expected in-scope log volume at rate %.2f: %.1f entries/s per proxy per 100 rps"
                + " (plus every passthrough/blackhole/fallback request or connection)%n", rate, 100 * rate));
        System.out.print(table);
    }

    @Test
    void sharedClusterProxiesNarrowedToTheirTraffic_carryTheRestAsFallback() {
        MeshSnapshot mesh = registryOnly(Examples.snapshot("shared-cluster"));
        List<TrafficEdge> edges = TrafficEdges.read(Examples.dir("shared-cluster").resolve("edges.csv"));
        StringBuilder table = new StringBuilder(header("shared-cluster, REGISTRY_ONLY, learned = edges.csv"));
        for (String[] pod : List.of(new String[] {"productpage-v1-0", "bookinfo"},
                new String[] {"frontend-0", "online-boutique"})) {
            Row row = measure(mesh, proxy(mesh, pod[0], pod[1]), edges);
            table.append(row.line());
            assertFallbackIsMeasured(row);
        }
        System.out.print(table);
    }

    @Test
    void generatedMeshes_fallbackBytesGrowWithTheUpperBound() {
        Path topologies = Examples.repoRoot().resolve("examples").resolve("topologies");
        StringBuilder table = new StringBuilder(header("generated meshes (examples/topologies x copies), REGISTRY_ONLY,"
                + " productpage of copy 1 learned = its edges"));
        Row previous = null;
        for (int copies : List.of(1, 2, 4)) {
            Path out = temp.resolve("copies-" + copies);
            GeneratedMesh generated = new MeshGenerator().generate(new TopologyReader().readAll(topologies),
                    new dev.meshpilot.insight.generate.GeneratorOptions(copies, 1, SidecarMode.NONE), out);
            LoadedMesh loaded = MeshLoader.load(out);
            assertThat(loaded.errors()).isEmpty();
            MeshSnapshot mesh = registryOnly(loaded.snapshot());
            WorkloadInstance pod = mesh.workloads().stream()
                    .filter(w -> w.namespace().equals("bookinfo-g1") && w.workloadName().equals("productpage-v1"))
                    .findFirst().orElseThrow();
            Row row = measure(mesh, proxy(mesh, pod.name(), pod.namespace()), edges(out));
            table.append(row.line());
            assertFallbackIsMeasured(row);
            assertThat(row.upperBound()).isGreaterThanOrEqualTo(generated.services() - 1);
            if (previous != null) {
                assertThat(row.fallbackBytes()).isGreaterThan(previous.fallbackBytes());
            }
            previous = row;
        }
        System.out.print(table);
    }

    /** A proxy's bytes with its Istio scope, narrowed to its edges, and narrowed with the rest as fallback. */
    private record Row(String proxy, int upperBound, int learned, XdsBytes full, XdsBytes narrowed,
                       XdsBytes withFallback, XdsBytes withFallbackUnlogged, int extraChainsWithout,
                       int extraChainsWith) {
        long fallbackBytes() {
            return withFallback.total() - narrowed.total();
        }

        String line() {
            return String.format("%-40s %6d %5d %,11d %,11d %,11d %,9d %6.1f %,8d%n", proxy, upperBound, learned,
                    full.total(), narrowed.total(), withFallback.total(), fallbackBytes(),
                    (double) fallbackBytes() / Math.max(1, upperBound - learned),
                    withFallback.total() - withFallbackUnlogged.total());
        }
    }

    private static String header(String title) {
        return title + " (learning generator options; bytes of all four types as the footprint measures them;"
                + " LOGGERS = bytes of the access loggers in +FALLBACK)\n"
                + String.format("%-40s %6s %5s %11s %11s %11s %9s %6s %8s%n", "PROXY", "UPPER", "LEARN", "FULL-SCOPE",
                "NARROWED", "+FALLBACK", "FALLBACK", "B/SVC", "LOGGERS");
    }

    private static Row measure(MeshSnapshot mesh, ProxyIdentity proxy, List<TrafficEdge> edges) {
        ProxyScope upper = new SidecarScopes(mesh).scopeFor(proxy);
        WorkloadInstance pod = mesh.findWorkload(proxy.podName(), proxy.namespace()).orElseThrow();
        Set<String> learned = edges.stream()
                .filter(e -> e.sourceNamespace().equals(pod.namespace()) && e.sourceWorkload().equals(pod.workloadName()))
                .map(TrafficEdge::host).collect(Collectors.toSet());
        ProxyScope narrowed = narrow(upper, learned);
        ProxyScope withFallback = narrowed.withFallbackServices(
                upper.services().stream().filter(s -> !learned.contains(s.hostname())).toList());
        ProxyResources without = LEARNING.generate(mesh, proxy, narrowed);
        ProxyResources with = LEARNING.generate(mesh, proxy, withFallback);
        return new Row(proxy.podName() + "." + proxy.namespace(), upper.services().size(), narrowed.services().size(),
                bytes(LEARNING, mesh, proxy, upper), FOOTPRINTS.of(proxy, narrowed.name(), without).bytes(),
                FOOTPRINTS.of(proxy, withFallback.name(), with).bytes(), bytes(TODAY, mesh, proxy, withFallback),
                FOOTPRINTS.of(proxy, narrowed.name(), without).counts().extraFilterChains(),
                FOOTPRINTS.of(proxy, withFallback.name(), with).counts().extraFilterChains());
    }

    private static void assertFallbackIsMeasured(Row row) {
        assertThat(row.learned()).isPositive().isLessThan(row.upperBound());
        assertThat(row.fallbackBytes()).isPositive();
        assertThat(row.withFallback().clusters()).isEqualTo(row.narrowed().clusters());
        assertThat(row.withFallback().endpoints()).isEqualTo(row.narrowed().endpoints());
        assertThat(row.extraChainsWith()).isGreaterThan(row.extraChainsWithout());
        assertThat(row.withFallback().total()).isLessThan(row.full().total());
    }

    private static XdsBytes bytes(ProxyConfigGenerator generator, MeshSnapshot mesh, ProxyIdentity proxy,
                                  ProxyScope scope) {
        return FOOTPRINTS.of(proxy, scope.name(), generator.generate(mesh, proxy, scope)).bytes();
    }

    /** The upper bound narrowed to the learned hostnames, in every egress listener too (no fallback yet). */
    private static ProxyScope narrow(ProxyScope upper, Set<String> learned) {
        List<MeshService> kept = upper.services().stream().filter(s -> learned.contains(s.hostname())).toList();
        List<ProxyScope.EgressScope> egress = upper.egressListeners().stream()
                .map(e -> new ProxyScope.EgressScope(e.listener(),
                        e.services().stream().filter(s -> learned.contains(s.hostname())).toList(), e.virtualServices()))
                .toList();
        return new ProxyScope(upper.key(), upper.name(), upper.proxyNamespace(), upper.sidecar(), egress, kept,
                upper.virtualServices(), upper.destinationRules(), upper.outboundTrafficPolicy(), upper.dependencies());
    }

    private static MeshSnapshot registryOnly(MeshSnapshot mesh) {
        return new MeshSnapshot(mesh.version(), mesh.meshConfig().withOutboundTrafficPolicy(
                OutboundTrafficPolicy.REGISTRY_ONLY), mesh.namespaces(), mesh.services(), mesh.endpointSlices(),
                mesh.workloads(), mesh.workloadGroups(), mesh.sidecars(), mesh.virtualServices(),
                mesh.destinationRules());
    }

    private static ProxyIdentity proxy(MeshSnapshot mesh, String pod, String namespace) {
        WorkloadInstance w = mesh.findWorkload(pod, namespace).orElseThrow();
        return new ProxyIdentity(w.name(), w.namespace(), w.labels(), w.ip(), ProxyKind.SIDECAR);
    }

    private static List<TrafficEdge> edges(Path generated) {
        try (Stream<Path> files = Files.walk(generated)) {
            List<TrafficEdge> out = new ArrayList<>();
            files.filter(f -> f.getFileName().toString().equals("edges.csv")).sorted()
                    .forEach(f -> out.addAll(TrafficEdges.read(f)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
