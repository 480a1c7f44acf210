package dev.meshpilot.bench.jmh;

import com.google.protobuf.Any;
import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.ChangeSet;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.ScopeKey;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.insight.generate.GeneratorOptions;
import dev.meshpilot.insight.generate.MeshGenerator;
import dev.meshpilot.insight.generate.SidecarMode;
import dev.meshpilot.insight.generate.TopologyReader;
import dev.meshpilot.kube.directory.MeshLoader;
import dev.meshpilot.xds.generate.ClusterInputs;
import dev.meshpilot.xds.generate.LoadAssignmentMemo;
import dev.meshpilot.xds.generate.OutboundResources;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.ResourceSet;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The hot paths of a push, on a mesh generated from the real topologies ({@code copies} × ~250 services):
 * computing every proxy's scope, generating one scope's outbound resources and one proxy's full set, serializing a
 * proxy's responses, planning who an endpoint change concerns, and regenerating every scope after a mesh-wide
 * MeshConfig change. Run with {@code bench/jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class MeshBenchmarks {

    @Param({"4"})
    public int copies;

    @Param({"root-default", "none", "traffic"})
    public String sidecars;

    /** Where the topologies are; the default suits runs from the repository root. */
    @Param({"examples/topologies"})
    public String topologies;

    private Path dir;
    private MeshSnapshot snapshot;
    private List<ProxyIdentity> proxies;
    private List<ProxyScope> scopes;
    private ProxyIdentity sample;
    private ProxyScope sampleScope;
    private OutboundResources sampleOutbound;
    private ProxyResources sampleResources;
    private ConfigKey endpointKey;
    private final ProxyConfigGenerator generator = new ProxyConfigGenerator();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("meshpilot-jmh");
        Path mesh = dir.resolve("mesh");
        new MeshGenerator().generate(new TopologyReader().readAll(Path.of(topologies)),
                new GeneratorOptions(copies, 1, SidecarMode.fromCliName(sidecars)), mesh);
        snapshot = MeshLoader.load(mesh).snapshot();
        proxies = snapshot.workloads().stream().map(ProxyIdentities::fromWorkload).toList();
        SidecarScopes all = new SidecarScopes(snapshot);
        scopes = proxies.stream().map(all::scopeFor).toList();
        sample = proxies.stream().filter(p -> p.namespace().startsWith("train-ticket-g1"))
                .filter(p -> p.podName().startsWith("ts-ui-dashboard")).findFirst().orElse(proxies.get(0));
        sampleScope = all.scopeFor(sample);
        sampleOutbound = generator.outbound(snapshot, sampleScope, sample.kind());
        sampleResources = generator.generate(snapshot, sample, sampleOutbound);
        MeshService target = snapshot.services().stream().filter(s -> s.namespace().equals(sample.namespace()))
                .min(Comparator.comparing(MeshService::hostname)).orElseThrow();
        endpointKey = ConfigKey.of(ConfigKey.Kind.ENDPOINTS, target.namespace(), target.hostname());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Scopes of every pod of the mesh from scratch (indexes included); returns the number of distinct scopes. */
    @Benchmark
    public int scopeComputation_allProxies() {
        SidecarScopes fresh = new SidecarScopes(snapshot);
        Set<Object> keys = new HashSet<>();
        for (ProxyIdentity proxy : proxies) {
            keys.add(fresh.scopeFor(proxy).key());
        }
        return keys.size();
    }

    /** The shareable outbound resources of one scope (train-ticket's dashboard: the widest caller). */
    @Benchmark
    public OutboundResources generation_perScope() {
        return generator.outbound(snapshot, sampleScope, sample.kind());
    }

    /** One proxy's full resources from a cached outbound part (inbound side and assembly). */
    @Benchmark
    public ProxyResources generation_perProxy() {
        return generator.generate(snapshot, sample, sampleOutbound);
    }

    /** The four SotW responses of that proxy, packed as Any and serialized to bytes. */
    @Benchmark
    public long serialization_fullConfig() {
        long bytes = 0;
        for (ResourceSet set : sampleResources.sets().values()) {
            List<Any> anys = new ArrayList<>(set.size());
            for (XdsResource resource : set.resources()) {
                anys.add(resource.toAny());
            }
            bytes += DiscoveryResponse.newBuilder().setVersionInfo(set.version()).setNonce("1")
                    .setTypeUrl(set.type().typeUrl()).addAllResources(anys).build().toByteArray().length;
        }
        return bytes;
    }

    /** Planning an endpoint change: which of all proxies' scopes depend on the changed service's endpoints. */
    @Benchmark
    public int planning_endpointChange() {
        int concerned = 0;
        for (ProxyScope scope : scopes) {
            if (scope.dependsOn(endpointKey)) {
                concerned++;
            }
        }
        return concerned;
    }

    /**
     * A mesh-wide MeshConfig change (the outbound traffic policy flips to REGISTRY_ONLY): the next mesh state's
     * scopes and the outbound part of every distinct scope, generated with the previous state's memo, as
     * {@code MeshState.rescoped} does. {@code reuseClusters=false} is the code before clusters were carried between
     * states ({@code LoadAssignmentMemo.next()}); {@code true} what {@code ClusterInputs} allows for this change.
     * Returns the number of clusters generated.
     */
    @Benchmark
    public int rescoping_meshConfigChange(MeshWideChange change) {
        LoadAssignmentMemo memo = change.previous.next(change.reuseClusters
                && ClusterInputs.unchangedBy(change.changes, snapshot, change.next));
        outboundOfEveryScope(change.next, memo);
        return memo.clustersMade();
    }

    /** The outbound part of every distinct scope of the mesh's pods in {@code mesh}, generated with {@code memo}. */
    private void outboundOfEveryScope(MeshSnapshot mesh, LoadAssignmentMemo memo) {
        SidecarScopes scopes = new SidecarScopes(mesh);
        Set<ScopeKey> done = new HashSet<>();
        for (ProxyIdentity proxy : proxies) {
            ProxyScope scope = scopes.scopeFor(proxy);
            if (done.add(scope.key())) {
                generator.outbound(mesh, scope, proxy.kind(), memo);
            }
        }
    }

    /** The state before a MeshConfig change (every scope's outbound part generated) and the snapshot after it. */
    @State(Scope.Benchmark)
    public static class MeshWideChange {
        @Param({"false", "true"})
        public boolean reuseClusters;

        LoadAssignmentMemo previous;
        MeshSnapshot next;
        ChangeSet changes;

        @Setup(Level.Trial)
        public void setUp(MeshBenchmarks mesh) {
            MeshSnapshot before = mesh.snapshot;
            previous = LoadAssignmentMemo.create();
            mesh.outboundOfEveryScope(before, previous);
            next = new MeshSnapshot(before.version() + 1,
                    before.meshConfig().withOutboundTrafficPolicy(OutboundTrafficPolicy.REGISTRY_ONLY),
                    before.namespaces(), before.services(), before.endpointSlices(), before.workloads(),
                    before.workloadGroups(), before.sidecars(), before.virtualServices(), before.destinationRules(),
                    before.peerAuthentications());
            changes = new ChangeSet(before.version(), next.version(), Set.of(ChangeSet.MESH_CONFIG_KEY));
        }
    }

    /** Unused by JMH; keeps the sample's pod visible to readers of results. */
    public WorkloadInstance samplePod() {
        return snapshot.findWorkload(sample.podName(), sample.namespace()).orElseThrow();
    }
}
