package dev.meshpilot.xds.generate;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.xds.resource.ProxyResources;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicas of one workload share one {@link ProxyResources} through {@link ProxyResourcesMemo}: same outbound part
 * (by identity) and equal inbound inputs. Anything else is generated on its own, and sharing never changes content.
 */
class ProxyResourcesMemoTest {

    private final ProxyConfigGenerator generator = new ProxyConfigGenerator();
    private final TestMesh mesh = replicatedBookinfo();
    private final MeshSnapshot snapshot = mesh.snapshot();
    private final ProxyScope scope = mesh.scope("default");

    /** Bookinfo with a second reviews-v1 replica: same namespace, labels and ports, another pod name and IP. */
    private static TestMesh replicatedBookinfo() {
        TestMesh mesh = TestMesh.bookinfo();
        mesh.pod("reviews-v1-1", "default", "10.0.0.25", Map.of("app", "reviews", "version", "v1"));
        return mesh;
    }

    private static ProxyIdentity reviews(String pod, String ip) {
        return TestMesh.sidecar(pod, "default", ip, Map.of("app", "reviews", "version", "v1"));
    }

    private static final ProxyIdentity REVIEWS_0 = reviews("reviews-v1-0", "10.0.0.21");
    private static final ProxyIdentity REVIEWS_1 = reviews("reviews-v1-1", "10.0.0.25");
    private static final ProxyIdentity RATINGS_0 = TestMesh.sidecar("ratings-v1-0", "default", "10.0.0.31",
            Map.of("app", "ratings", "version", "v1"));

    private OutboundResources outbound() {
        return generator.outbound(snapshot, scope, ProxyIdentity.ProxyKind.SIDECAR);
    }

    @Test
    void replicasOfOneWorkload_withTheSameOutboundPart_shareOneInstance() {
        ProxyResourcesMemo memo = ProxyResourcesMemo.create();
        OutboundResources out = outbound();

        ProxyResources first = generator.generate(snapshot, REVIEWS_0, out, memo);
        ProxyResources second = generator.generate(snapshot, REVIEWS_1, out, memo);

        assertThat(second).isSameAs(first);
        assertThat(memo.size()).isEqualTo(1);
    }

    @Test
    void workloadSelectedByOtherServices_getsItsOwnInstance() {
        ProxyResourcesMemo memo = ProxyResourcesMemo.create();
        OutboundResources out = outbound();

        ProxyResources reviews = generator.generate(snapshot, REVIEWS_0, out, memo);
        ProxyResources ratings = generator.generate(snapshot, RATINGS_0, out, memo);

        assertThat(ratings).isNotSameAs(reviews);
        // same port (9080), but the inbound cluster names the workload's own service
        assertThat(ratings.clusters().get("inbound|9080||"))
                .isNotEqualTo(reviews.clusters().get("inbound|9080||"));
        assertThat(ratings).isEqualTo(generator.generate(snapshot, RATINGS_0, out));
        assertThat(memo.size()).isEqualTo(2);
    }

    @Test
    void nextState_findsTheInboundPartAgain_whileItsOutboundPartIsNew() {
        ProxyResourcesMemo memo = ProxyResourcesMemo.create();
        ProxyResources before = generator.generate(snapshot, REVIEWS_0, outbound(), memo);

        ProxyResourcesMemo next = memo.next();
        ProxyResources after = generator.generate(snapshot, REVIEWS_0, outbound(), next);

        assertThat(after).isNotSameAs(before).isEqualTo(before);
        assertThat(after.listeners().get("virtualInbound").orElseThrow())
                .isSameAs(before.listeners().get("virtualInbound").orElseThrow());
        assertThat(after.clusters().get("inbound|9080||").orElseThrow())
                .isSameAs(before.clusters().get("inbound|9080||").orElseThrow());
        // two states on, nothing of the first is consulted (one generation back, never a chain)
        ProxyResourcesMemo skipped = next.next().next();
        assertThat(generator.generate(snapshot, REVIEWS_0, outbound(), skipped).listeners().get("virtualInbound")
                .orElseThrow()).isNotSameAs(before.listeners().get("virtualInbound").orElseThrow());
    }

    @Test
    void noMemo_generatesEveryTime() {
        ProxyResourcesMemo none = ProxyResourcesMemo.none();
        OutboundResources out = outbound();

        ProxyResources first = generator.generate(snapshot, REVIEWS_0, out, none);
        ProxyResources again = generator.generate(snapshot, REVIEWS_0, out, none);
        ProxyResources replica = generator.generate(snapshot, REVIEWS_1, out, none);

        assertThat(again).isNotSameAs(first).isEqualTo(first);
        assertThat(replica).isNotSameAs(first).isEqualTo(first);
        assertThat(none.size()).isZero();
    }

    @Test
    void anotherOutboundInstance_isNotShared_evenWithEqualContent() {
        ProxyResourcesMemo memo = ProxyResourcesMemo.create();
        OutboundResources out = outbound();
        OutboundResources equalOut = outbound();
        assertThat(equalOut).isNotSameAs(out);
        for (var type : dev.meshpilot.xds.naming.XdsType.PUSH_ORDER) {
            assertThat(equalOut.get(type)).as(type.name()).isEqualTo(out.get(type));
        }

        ProxyResources first = generator.generate(snapshot, REVIEWS_0, out, memo);
        ProxyResources viaOther = generator.generate(snapshot, REVIEWS_1, equalOut, memo);

        assertThat(viaOther).isNotSameAs(first).isEqualTo(first);
        assertThat(memo.size()).isEqualTo(2);
    }

    @Test
    void sharedResources_equalWhatEachProxyGetsWithoutTheMemo() {
        ProxyResourcesMemo memo = ProxyResourcesMemo.create();
        OutboundResources out = outbound();

        for (ProxyIdentity proxy : new ProxyIdentity[] {REVIEWS_0, RATINGS_0, REVIEWS_1}) {
            ProxyResources memoized = generator.generate(snapshot, proxy, out, memo);
            ProxyResources alone = generator.generate(snapshot, proxy, out);
            assertThat(memoized).as(proxy.proxyId()).isNotSameAs(alone).isEqualTo(alone);
            assertThat(memoized.sets()).as(proxy.proxyId()).isEqualTo(alone.sets());
            // and what the generator gives from the scope alone (outbound generated for this proxy)
            assertThat(memoized).as(proxy.proxyId()).isEqualTo(generator.generate(snapshot, proxy, scope));
        }
    }
}
