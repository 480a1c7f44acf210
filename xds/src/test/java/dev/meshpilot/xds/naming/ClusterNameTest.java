package dev.meshpilot.xds.naming;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterNameTest {

    @Test
    void outboundDefaultCluster_hasEmptySubset() {
        assertThat(ClusterName.outbound(9080, "reviews.default.svc.cluster.local").value())
                .isEqualTo("outbound|9080||reviews.default.svc.cluster.local");
    }

    @Test
    void outboundSubsetCluster_carriesSubset() {
        assertThat(ClusterName.outbound(9080, "v1", "reviews.default.svc.cluster.local").value())
                .isEqualTo("outbound|9080|v1|reviews.default.svc.cluster.local");
    }

    @Test
    void inboundCluster_hasNoHostnameSince110() {
        assertThat(ClusterName.inbound(8080).value()).isEqualTo("inbound|8080||");
    }

    @Test
    void wildcardServiceEntryHost_isKeptVerbatim() {
        assertThat(ClusterName.outbound(443, "*.wikipedia.org").value()).isEqualTo("outbound|443||*.wikipedia.org");
    }

    @Test
    void parse_roundTripsEveryForm() {
        for (ClusterName name : new ClusterName[] {
                ClusterName.outbound(9080, "reviews.default.svc.cluster.local"),
                ClusterName.outbound(9080, "v2", "reviews.default.svc.cluster.local"),
                ClusterName.inbound(15020),
                ClusterName.outbound(443, "*.wikipedia.org")}) {
            assertThat(ClusterName.parse(name.value())).contains(name);
        }
    }

    @Test
    void parse_inboundHasInboundDirectionAndEmptyHost() {
        ClusterName parsed = ClusterName.parse("inbound|9080||").orElseThrow();
        assertThat(parsed.isInbound()).isTrue();
        assertThat(parsed.port()).isEqualTo(9080);
        assertThat(parsed.hostname()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"BlackHoleCluster", "PassthroughCluster", "InboundPassthroughCluster",
            "outbound|9080|reviews", "outbound|x||reviews", "sideways|9080||reviews", "outbound|70000||a",
            "outbound|1|a|b|c", "outbound_.9080_.v1_.reviews.default.svc.cluster.local"})
    void parse_rejectsNamesThatAreNotSubsetKeys(String name) {
        assertThat(ClusterName.parse(name)).isEmpty();
    }

    @Test
    void isSubsetKey_countsExactlyThreeBars() {
        assertThat(ClusterName.isSubsetKey("inbound|8080||")).isTrue();
        assertThat(ClusterName.isSubsetKey("outbound|8080|")).isFalse();
        assertThat(ClusterName.isSubsetKey(null)).isFalse();
    }

    @Test
    void barInsideHostname_isRejected() {
        assertThatThrownBy(() -> ClusterName.outbound(80, "a|b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outboundWithoutHostname_isRejected() {
        assertThatThrownBy(() -> ClusterName.outbound(80, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutSubset_givesTheDefaultCluster() {
        assertThat(ClusterName.outbound(80, "v1", "a.b").withoutSubset()).isEqualTo(ClusterName.outbound(80, "a.b"));
    }
}
