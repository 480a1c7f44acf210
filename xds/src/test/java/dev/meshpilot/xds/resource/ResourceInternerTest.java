package dev.meshpilot.xds.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.xds.naming.XdsType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceInternerTest {

    private static XdsResource cluster(String name, int timeoutSeconds, String origin) {
        return XdsResource.cluster(Cluster.newBuilder().setName(name)
                .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeoutSeconds)).build(), origin);
    }

    @Test
    void equalResourcesOfTheSameOrigin_becomeOneInstance() {
        ResourceInterner interner = ResourceInterner.create();
        XdsResource first = interner.intern(cluster("a", 10, "sidecar-outbound"));
        XdsResource second = interner.intern(cluster("a", 10, "sidecar-outbound"));
        assertThat(second).isSameAs(first);
        assertThat(interner.size()).isEqualTo(1);
    }

    @Test
    void differentBytes_stayApart_andAnotherOrigin_isReturnedAsGiven() {
        ResourceInterner interner = ResourceInterner.create();
        XdsResource base = interner.intern(cluster("a", 10, "sidecar-outbound"));
        XdsResource longer = interner.intern(cluster("a", 11, "sidecar-outbound"));
        assertThat(longer).isNotSameAs(base);
        XdsResource grpc = cluster("a", 10, "grpc-outbound");
        assertThat(interner.intern(grpc)).isSameAs(grpc);
        assertThat(grpc.origin()).isEqualTo("grpc-outbound");
        assertThat(interner.size()).isEqualTo(2);
        assertThat(List.of(base, longer)).hasSize(2); // both still held here, so both still known
    }

    @Test
    void noneKeepsNothing() {
        ResourceInterner none = ResourceInterner.none();
        XdsResource one = cluster("a", 10, "o");
        XdsResource two = cluster("a", 10, "o");
        assertThat(none.intern(one)).isSameAs(one);
        assertThat(none.intern(two)).isSameAs(two);
        Map<XdsType, List<XdsResource>> lists = Map.of(XdsType.CLUSTER, List.of(one));
        assertThat(none.internAll(lists)).isSameAs(lists);
        assertThat(none.size()).isZero();
    }
}
