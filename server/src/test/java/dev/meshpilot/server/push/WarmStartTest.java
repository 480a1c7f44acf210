package dev.meshpilot.server.push;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ScopeKey;
import dev.meshpilot.kube.directory.MeshLoader;
import dev.meshpilot.server.ClusterRequests;
import dev.meshpilot.server.ads.AdsService;
import dev.meshpilot.server.ads.ConnectionRegistry;
import dev.meshpilot.server.metrics.ServerMetrics;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.resource.ProxyResources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link WarmStart} on examples/shared-cluster-root-default (255 pods in 14 namespaces, each namespace its own scope
 * through the root Sidecar): one outbound part per distinct scope of the registry's pods, nothing generated again
 * when those pods' proxies attach, most-used scopes first, off with a zero budget, the rest on demand when the budget
 * runs out, and what no proxy claimed dropped afterwards.
 */
class WarmStartTest {
    private static final Pattern OUTCOME = Pattern.compile(
            "warm start: (\\d+) of (\\d+) scopes and (\\d+) of (\\d+) proxies generated in (\\d+) ms(.*)");
    private static final String ISTIO_VERSION = "1.24.0";

    private static MeshSnapshot snapshot;
    /** The registry's pods as their istio-proxies identify (not through WarmStart.pods). */
    private static List<ProxyIdentity> pods;
    /** Pods per scope key, computed on a state of its own. */
    private static Map<ScopeKey, Integer> podsPerScope;

    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeAll
    static void load() {
        Path dir = Path.of(System.getProperty("meshpilot.repo.root", ".."))
                .resolve("examples/shared-cluster-root-default");
        snapshot = MeshLoader.load(dir).snapshot();
        pods = new ArrayList<>();
        for (WorkloadInstance pod : snapshot.workloads()) {
            if (pod.ready() && !pod.terminating() && pod.ip() != null && !pod.ip().isEmpty()) {
                pods.add(asIstioProxy(pod));
            }
        }
        MeshState counting = fresh();
        podsPerScope = new LinkedHashMap<>();
        for (ProxyIdentity pod : pods) {
            podsPerScope.merge(counting.scopes().keyFor(pod), 1, Integer::sum);
        }
        // the example as examples/README.md describes it: 255 pods, 14 namespaces, one scope each
        assertThat(pods).hasSize(255);
        assertThat(podsPerScope).hasSize(14);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    /** The identity the server reads from a real istio-proxy's node for this pod (its IP, ISTIO_VERSION set). */
    private static ProxyIdentity asIstioProxy(WorkloadInstance pod) {
        return ProxyIdentities.fromNode(nodeOf(pod).getId(), Map.of(ProxyIdentities.ISTIO_VERSION, ISTIO_VERSION),
                Map.of(), "envoy", snapshot);
    }

    private static Node nodeOf(WorkloadInstance pod) {
        return Node.newBuilder().setId("sidecar~" + pod.ip() + "~" + pod.name() + "." + pod.namespace() + "~"
                        + pod.namespace() + ".svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields(ProxyIdentities.ISTIO_VERSION,
                        Value.newBuilder().setStringValue(ISTIO_VERSION).build()))
                .build();
    }

    private static MeshState fresh() {
        return MeshState.of(snapshot, new ProxyConfigGenerator());
    }

    private PushPipeline pipeline(MeshState state) {
        PushPipeline pipeline = new PushPipeline(state, new ServerMetrics(new SimpleMeterRegistry()),
                PushSettings.DEFAULT);
        closeAfter.add(pipeline);
        return pipeline;
    }

    private static WarmStart warmStart(PushPipeline pipeline, Duration budget, Duration unclaimedAfter, int threads,
                                       Clock clock) {
        return new WarmStart(pipeline, () -> true, budget, unclaimedAfter, threads, clock);
    }

    private static Matcher outcome(WarmStart warm) {
        Matcher m = OUTCOME.matcher(warm.describe());
        assertThat(m.matches()).as("outcome '%s'", warm.describe()).isTrue();
        return m;
    }

    @Test
    void afterTheWarmStart_oneOutboundPartPerDistinctScope_andThePodsProxiesAttachWithoutGenerating() throws Exception {
        MeshState state = fresh();
        assertThat(state.generatedCount()).isZero();
        WarmStart warm = warmStart(pipeline(state), Duration.ofMinutes(5), Duration.ofHours(1), 2, Clock.systemUTC());

        warm.start();

        assertThat(warm.await(Duration.ofMinutes(3))).as("warm start finished").isTrue();
        assertThat(state.generatedCount()).isEqualTo(podsPerScope.size());
        Matcher m = outcome(warm);
        assertThat(Integer.parseInt(m.group(1))).isEqualTo(podsPerScope.size());
        assertThat(Integer.parseInt(m.group(2))).isEqualTo(podsPerScope.size());
        assertThat(Integer.parseInt(m.group(3))).isEqualTo(pods.size());
        assertThat(Integer.parseInt(m.group(4))).isEqualTo(pods.size());
        assertThat(m.group(6)).as("nothing left out").isEmpty();

        int servedSets = state.served().size();
        MeshState reference = fresh();
        for (ProxyIdentity pod : pods) {
            ProxyResources resources = state.resourcesFor(pod);
            state.served().of(resources);
            assertThat(resources).as("resources of %s", pod.proxyId()).isEqualTo(reference.resourcesFor(pod));
        }
        assertThat(state.generatedCount()).as("outbound parts generated after all 255 proxies attached")
                .isEqualTo(podsPerScope.size());
        assertThat(state.served().size()).as("served sets converted on attach").isEqualTo(servedSets);
        assertThat(reference.generatedCount()).as("the reference state generated on demand")
                .isEqualTo(podsPerScope.size());
    }

    @Test
    void representatives_oneProxyPerScope_theScopeWithTheMostPodsFirst() {
        MeshState state = fresh();
        List<ProxyIdentity> registryPods = WarmStart.pods(state);
        assertThat(registryPods).hasSize(pods.size());
        // the registry lists bank-of-anthos first: the order below is the warm start's, not the manifests'
        assertThat(registryPods.get(0).namespace()).isNotEqualTo("train-ticket");

        List<ProxyIdentity> representatives = WarmStart.representatives(state, registryPods);

        assertThat(representatives).hasSize(podsPerScope.size());
        assertThat(representatives.get(0).namespace()).as("train-ticket has 64 of the 255 pods")
                .isEqualTo("train-ticket");
        MeshState other = fresh();
        List<ScopeKey> keys = representatives.stream().map(p -> other.scopes().keyFor(p)).toList();
        assertThat(new LinkedHashSet<>(keys)).as("one representative per scope").hasSize(keys.size());
        List<Integer> sizes = keys.stream().map(podsPerScope::get).toList();
        assertThat(sizes).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(sizes.get(0)).isEqualTo(podsPerScope.values().stream().max(Integer::compare).orElseThrow());
    }

    @Test
    void zeroBudget_finishesAtOnce_saysOff_andGeneratesNothing() {
        MeshState state = fresh();
        // a source that never becomes ready: with the warm start off, readiness must not wait for it either
        WarmStart warm = new WarmStart(pipeline(state), () -> false, Duration.ZERO, Duration.ofMillis(10), 2,
                Clock.systemUTC());

        warm.start();

        assertThat(warm.finished()).isTrue();
        assertThat(warm.isOff()).isTrue();
        assertThat(warm.describe()).isEqualTo("off");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> state.generatedCount() == 0 && state.cachedEntries() == 0);
    }

    @Test
    void whileTheSourceIsNotReady_theWarmStartWaits_andSaysSo() {
        MeshState state = fresh();
        java.util.concurrent.atomic.AtomicBoolean ready = new java.util.concurrent.atomic.AtomicBoolean();
        WarmStart warm = new WarmStart(pipeline(state), ready::get, Duration.ofMinutes(5), Duration.ofHours(1), 2,
                Clock.systemUTC());

        warm.start();

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !warm.finished());
        assertThat(warm.describe()).isEqualTo("warm start: waiting for the mesh source");
        assertThat(state.generatedCount()).isZero();
        ready.set(true);
        await().atMost(Duration.ofMinutes(3)).until(warm::finished);
        assertThat(state.generatedCount()).isEqualTo(podsPerScope.size());
    }

    @Test
    void budgetRunningOut_endsWithBudgetSpent_andTheRestIsGeneratedOnDemand() throws Exception {
        MeshState state = fresh();
        // every reading of the clock is a second later: a 3 s budget lasts a few scopes, whatever the machine
        WarmStart warm = warmStart(pipeline(state), Duration.ofSeconds(3), Duration.ofHours(1), 1,
                new JumpingClock(Duration.ofSeconds(1)));

        warm.start();

        assertThat(warm.await(Duration.ofMinutes(2))).isTrue();
        Matcher m = outcome(warm);
        int scopesDone = Integer.parseInt(m.group(1));
        assertThat(Integer.parseInt(m.group(2))).isEqualTo(podsPerScope.size());
        assertThat(scopesDone).isBetween(1, podsPerScope.size() - 1);
        assertThat(Integer.parseInt(m.group(3))).as("no pod's own part once the scopes ran out of budget").isZero();
        assertThat(Integer.parseInt(m.group(4))).isEqualTo(pods.size());
        assertThat(m.group(6)).isEqualTo("; budget spent, the rest is generated on connect");
        assertThat(state.generatedCount()).isEqualTo(scopesDone);

        List<ProxyIdentity> representatives = WarmStart.representatives(state, WarmStart.pods(state));
        ProxyIdentity warmed = representatives.get(0);
        ProxyIdentity cold = representatives.get(representatives.size() - 1);
        MeshState reference = fresh();
        assertThat(state.resourcesFor(warmed)).isEqualTo(reference.resourcesFor(warmed));
        assertThat(state.generatedCount()).as("the most-used scope was warmed").isEqualTo(scopesDone);
        assertThat(state.resourcesFor(cold)).isEqualTo(reference.resourcesFor(cold));
        assertThat(state.generatedCount()).as("the least-used scope, left out, generated on demand")
                .isEqualTo(scopesDone + 1);
    }

    @Test
    void forgetUnclaimed_withNoProxies_dropsEveryOutboundPartAndServedSet() throws Exception {
        MeshState state = fresh();
        WarmStart warm = warmStart(pipeline(state), Duration.ofMinutes(5), Duration.ofHours(1), 2, Clock.systemUTC());
        warm.start();
        assertThat(warm.await(Duration.ofMinutes(3))).isTrue();
        int scopes = state.scopes().cachedScopes();
        int warmed = state.cachedEntries();
        assertThat(warmed).as("outbound parts and served sets held besides the scopes")
                .isGreaterThan(scopes + podsPerScope.size());

        int dropped = state.forgetUnclaimed(List.of());

        assertThat(dropped).isEqualTo(warmed);
        // nothing remains: not the outbound parts, not the served sets, not the computed scopes
        assertThat(state.cachedEntries()).isZero();
        assertThat(state.scopes().cachedScopes()).isZero();
        ProxyIdentity pod = pods.get(0);
        assertThat(state.resourcesFor(pod)).isEqualTo(fresh().resourcesFor(pod));
        assertThat(state.generatedCount()).as("its outbound part was dropped, so it is generated again")
                .isEqualTo(podsPerScope.size() + 1);
    }

    @Test
    void unclaimedParts_areDroppedAfterTheDelay_exceptWhatAConnectedProxyUses() throws Exception {
        MeshState state = fresh();
        PushPipeline pipeline = pipeline(state);
        WorkloadInstance connectedPod = snapshot.workloads().stream()
                .filter(p -> p.namespace().equals("bookinfo") && p.ip() != null).findFirst().orElseThrow();
        WorkloadInstance sameScope = snapshot.workloads().stream()
                .filter(p -> p.namespace().equals("bookinfo") && p.ip() != null && !p.name().equals(connectedPod.name()))
                .findFirst().orElseThrow();
        WorkloadInstance otherScope = snapshot.workloads().stream()
                .filter(p -> p.namespace().equals("emojivoto") && p.ip() != null).findFirst().orElseThrow();
        try (Ads ads = new Ads(pipeline)) {
            WarmStart warm = warmStart(pipeline, Duration.ofMinutes(5), Duration.ofSeconds(2), 2,
                    Clock.systemUTC());
            warm.start();
            assertThat(warm.await(Duration.ofMinutes(3))).isTrue();
            int warmedEntries = state.cachedEntries();
            ads.connect(nodeOf(connectedPod)).get(20, TimeUnit.SECONDS);
            assertThat(pipeline.entries()).hasSize(1);
            assertThat(state.generatedCount()).as("the connected proxy's scope was warmed")
                    .isEqualTo(podsPerScope.size());

            await().atMost(Duration.ofSeconds(30)).until(() -> state.cachedEntries() < warmedEntries / 2);

            // the connected proxy's outbound part is kept: another pod of its scope attaches without generating
            state.resourcesFor(asIstioProxy(sameScope));
            assertThat(state.generatedCount()).isEqualTo(podsPerScope.size());
            // another scope's was dropped: its proxy generates it again, equal to what a fresh state makes
            ProxyIdentity other = asIstioProxy(otherScope);
            assertThat(state.resourcesFor(other)).isEqualTo(fresh().resourcesFor(other));
            assertThat(state.generatedCount()).isEqualTo(podsPerScope.size() + 1);
        }
    }

    /** A clock that moves on by {@code step} each time it is read. */
    private static final class JumpingClock extends Clock {
        private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
        private final AtomicLong reads = new AtomicLong();
        private final Duration step;

        JumpingClock(Duration step) {
            this.step = step;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return start.plus(step.multipliedBy(reads.getAndIncrement()));
        }
    }

    /** The pipeline behind a real ADS service on a loopback port, and istio-proxy-like streams to it. */
    private static final class Ads implements AutoCloseable {
        private final ExecutorService pool = Executors.newFixedThreadPool(2);
        private final Server server;
        private final ManagedChannel channel;
        private final List<StreamObserver<DiscoveryRequest>> streams = new ArrayList<>();

        Ads(PushPipeline pipeline) throws Exception {
            AdsService ads = new AdsService(pipeline, new ConnectionRegistry(),
                    new ServerMetrics(new SimpleMeterRegistry()), pool);
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(ads.bindable())
                    .build().start();
            channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                    .maxInboundMessageSize(64 << 20).build();
        }

        /** Opens a stream asking for clusters; completes with the first response. */
        CompletableFuture<DiscoveryResponse> connect(Node node) {
            CompletableFuture<DiscoveryResponse> first = new CompletableFuture<>();
            StreamObserver<DiscoveryRequest> requests = ClusterRequests.ask(channel, node, first);
            streams.add(requests);
            return first;
        }

        @Override
        public void close() throws Exception {
            for (StreamObserver<DiscoveryRequest> s : streams) {
                try {
                    s.onCompleted();
                } catch (RuntimeException ignored) {
                    // already ended
                }
            }
            channel.shutdownNow();
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
            pool.shutdownNow();
        }
    }
}
