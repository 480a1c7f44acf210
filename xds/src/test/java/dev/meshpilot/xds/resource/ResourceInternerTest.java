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
    void differentBytes_orAnotherOrigin_stayApart() {
        ResourceInterner interner = ResourceInterner.create();
        XdsResource base = interner.intern(cluster("a", 10, "sidecar-outbound"));
        assertThat(interner.intern(cluster("a", 11, "sidecar-outbound"))).isNotSameAs(base);
        XdsResource otherOrigin = interner.intern(cluster("a", 10, "grpc-outbound"));
        assertThat(otherOrigin).isEqualTo(base).isNotSameAs(base);
        assertThat(otherOrigin.origin()).isEqualTo("grpc-outbound");
        assertThat(interner.size()).isEqualTo(3);
    }

    @Test
    void theNextStateFindsTheEarlierInstance_butNotTwoStatesBack() {
        ResourceInterner first = ResourceInterner.create();
        XdsResource held = first.intern(cluster("a", 10, "o"));
        ResourceInterner second = first.next();
        assertThat(second.size()).isZero();
        assertThat(second.intern(cluster("a", 10, "o"))).isSameAs(held);
        ResourceInterner third = second.next();
        XdsResource fresh = cluster("b", 1, "o");
        assertThat(third.intern(fresh)).isSameAs(fresh);
        ResourceInterner fourth = third.next().next();
        XdsResource again = cluster("a", 10, "o");
        assertThat(fourth.intern(again)).isSameAs(again);
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
        assertThat(none.next()).isSameAs(none);
    }
}
