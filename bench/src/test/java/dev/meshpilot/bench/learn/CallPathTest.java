package dev.meshpilot.bench.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.bench.client.Routing;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Envoy's filter-chain and virtual-host choice as {@link CallPath} reduces it. */
class CallPathTest {

    private static final long VIP = Routing.ipv4("10.192.0.7");

    private static Routing.Chain chain(String name, int port, List<Routing.Prefix> prefixes, String cluster) {
        return new Routing.Chain(name, port, prefixes, cluster, "");
    }

    @Test
    void portChainsWinOverPortlessOnes_thenTheLongestPrefix_elseTheDefaultChain() {
        Routing.Chain fallback = chain("meshpilot-learning-fallback-9080", 9080,
                List.of(new Routing.Prefix(VIP, 32)), "PassthroughCluster");
        Routing.Chain wide = chain("wide", 9080, List.of(new Routing.Prefix(Routing.ipv4("10.192.0.0"), 12)), "x");
        Routing.Chain catchAll = chain("virtualOutbound-catchall-tcp", 0, List.of(), "PassthroughCluster");
        Routing.Chain unmatched = chain("meshpilot-learning-fallback-unmatched", 0, List.of(), "BlackHoleCluster");
        Routing.Listener listener = new Routing.Listener(List.of(catchAll, wide, fallback), unmatched);

        assertThat(CallPath.chain(listener, 9080, VIP)).isEqualTo(fallback);
        assertThat(CallPath.chain(listener, 9080, Routing.ipv4("10.192.0.8"))).isEqualTo(wide);
        // a port that has chains: no port-less fallback, the default chain (Envoy's matching order)
        assertThat(CallPath.chain(listener, 9080, Routing.ipv4("10.96.0.1"))).isEqualTo(unmatched);
        assertThat(CallPath.chain(listener, 5432, VIP)).isEqualTo(catchAll);
    }

    @Test
    void virtualHost_byHostAndPort_thenHost_thenTheCatchAll() {
        Routing.VirtualHost reviews = new Routing.VirtualHost("reviews:9080",
                Set.of("reviews.default.svc.cluster.local", "reviews.default.svc.cluster.local:9080"),
                "outbound|9080||reviews.default.svc.cluster.local");
        Routing.VirtualHost allowAny = new Routing.VirtualHost("allow_any", Set.of("*"), "PassthroughCluster");
        Routing.Routes routes = new Routing.Routes(List.of(allowAny, reviews));

        assertThat(CallPath.virtualHost(routes, "reviews.default.svc.cluster.local", 9080)).isEqualTo(reviews);
        assertThat(CallPath.virtualHost(routes, "ratings.default.svc.cluster.local", 9080)).isEqualTo(allowAny);
        assertThat(CallPath.virtualHost(new Routing.Routes(List.of(reviews)), "ratings.default.svc.cluster.local",
                9080)).isNull();
    }

    @Test
    void prefixContainment() {
        assertThat(new Routing.Prefix(Routing.ipv4("10.192.0.0"), 12).contains(Routing.ipv4("10.207.255.255"))).isTrue();
        assertThat(new Routing.Prefix(Routing.ipv4("10.192.0.0"), 12).contains(Routing.ipv4("10.208.0.0"))).isFalse();
        assertThat(new Routing.Prefix(0, 0).contains(VIP)).isTrue();
        assertThat(Routing.ipv4("fd00::1")).isEqualTo(-1);
    }
}
