package dev.meshpilot.xds.inspect;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterTableTest {

    private static Cluster cluster(String name, Cluster.DiscoveryType type) {
        return Cluster.newBuilder().setName(name).setType(type).build();
    }

    private static Cluster withRule(Cluster cluster, String ns, String name) {
        Struct istio = Struct.newBuilder().putFields("config", Value.newBuilder()
                .setStringValue("/apis/networking.istio.io/v1/namespaces/" + ns + "/destination-rule/" + name).build())
                .build();
        return cluster.toBuilder().setMetadata(Metadata.newBuilder().putFilterMetadata("istio", istio)).build();
    }

    @Test
    void rendersIstioctlExample_byteForByte() {
        // The illustrative output of spec R51, in shuffled input order.
        List<Cluster> clusters = List.of(
                withRule(cluster("outbound|9080|v1|ratings.shop.svc.cluster.local", Cluster.DiscoveryType.EDS), "shop", "ratings"),
                cluster("PassthroughCluster", Cluster.DiscoveryType.ORIGINAL_DST),
                cluster("agent", Cluster.DiscoveryType.STATIC),
                withRule(cluster("outbound|9080||ratings.shop.svc.cluster.local", Cluster.DiscoveryType.EDS), "shop", "ratings"),
                cluster("inbound|9080||", Cluster.DiscoveryType.ORIGINAL_DST),
                cluster("InboundPassthroughCluster", Cluster.DiscoveryType.ORIGINAL_DST),
                cluster("BlackHoleCluster", Cluster.DiscoveryType.STATIC));

        assertThat(ClusterTable.render(clusters)).isEqualTo(String.join("\n",
                "SERVICE FQDN                       PORT     SUBSET     DIRECTION     TYPE             DESTINATION RULE",
                "                                   9080     -          inbound       ORIGINAL_DST     ",
                "BlackHoleCluster                   -        -          -             STATIC           ",
                "InboundPassthroughCluster          -        -          -             ORIGINAL_DST     ",
                "PassthroughCluster                 -        -          -             ORIGINAL_DST     ",
                "agent                              -        -          -             STATIC           ",
                "ratings.shop.svc.cluster.local     9080     -          outbound      EDS              ratings.shop",
                "ratings.shop.svc.cluster.local     9080     v1         outbound      EDS              ratings.shop",
                ""));
    }

    @Test
    void portsSortNumerically_withinOneHost() {
        String table = ClusterTable.render(List.of(
                cluster("outbound|10000||a.ns.svc.cluster.local", Cluster.DiscoveryType.EDS),
                cluster("outbound|9000||a.ns.svc.cluster.local", Cluster.DiscoveryType.EDS)));
        assertThat(table.indexOf("9000")).isLessThan(table.indexOf("10000"));
    }
}
