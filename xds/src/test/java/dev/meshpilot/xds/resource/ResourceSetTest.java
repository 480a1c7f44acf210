package dev.meshpilot.xds.resource;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.naming.XdsType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResourceSetTest {

    private static XdsResource cluster(String name, int timeoutSeconds) {
        return XdsResource.cluster(Cluster.newBuilder().setName(name)
                .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(timeoutSeconds)).build(), "test");
    }

    @Test
    void resources_areOrderedByName() {
        ResourceSet set = ResourceSet.of(XdsType.CLUSTER, List.of(cluster("b", 1), cluster("a", 1), cluster("c", 1)));
        assertThat(set.names()).containsExactly("a", "b", "c");
    }

    @Test
    void version_dependsOnContentNotOnInputOrder() {
        ResourceSet one = ResourceSet.of(XdsType.CLUSTER, List.of(cluster("a", 1), cluster("b", 1)));
        ResourceSet two = ResourceSet.of(XdsType.CLUSTER, List.of(cluster("b", 1), cluster("a", 1)));
        ResourceSet changed = ResourceSet.of(XdsType.CLUSTER, List.of(cluster("a", 1), cluster("b", 2)));
        assertThat(one.version()).isEqualTo(two.version()).hasSize(16);
        assertThat(changed.version()).isNotEqualTo(one.version());
        assertThat(one.get("b").orElseThrow().hash()).isNotEqualTo(changed.get("b").orElseThrow().hash());
        assertThat(one.get("a").orElseThrow().hash()).isEqualTo(changed.get("a").orElseThrow().hash());
    }

    @Test
    void duplicateNames_areRejected() {
        assertThatThrownBy(() -> ResourceSet.of(XdsType.CLUSTER, List.of(cluster("a", 1), cluster("a", 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two clusters named a");
    }

    @Test
    void resourceOfAnotherType_isRejected() {
        XdsResource listener = XdsResource.listener(Listener.newBuilder().setName("l").build(), "");
        assertThatThrownBy(() -> ResourceSet.of(XdsType.CLUSTER, List.of(listener)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XdsResource.of(XdsType.CLUSTER, Listener.getDefaultInstance(), ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resourceName_comesFromTheProto() {
        assertThat(XdsResource.endpoints(ClusterLoadAssignment.newBuilder().setClusterName("c").build(), "").name())
                .isEqualTo("c");
        assertThat(XdsResource.route(RouteConfiguration.newBuilder().setName("80").build(), "").name()).isEqualTo("80");
    }

    @Test
    void sizeAndAny_reuseTheSerializedBytes() throws Exception {
        XdsResource c = cluster("a", 5);
        assertThat(c.serializedSize()).isEqualTo(c.proto().getSerializedSize());
        assertThat(c.toAny().getTypeUrl()).isEqualTo(XdsType.CLUSTER.typeUrl());
        assertThat(c.toAny().unpack(Cluster.class)).isEqualTo(c.proto());
        assertThat(ResourceSet.of(XdsType.CLUSTER, List.of(c, cluster("b", 5))).totalBytes())
                .isEqualTo(2L * c.serializedSize());
    }

    @Test
    void select_returnsSubscribedNamesThatExist() {
        ResourceSet set = ResourceSet.of(XdsType.CLUSTER, List.of(cluster("a", 1), cluster("b", 1)));
        assertThat(set.select(Set.of("b", "zz"))).extracting(XdsResource::name).containsExactly("b");
    }

    @Test
    void proxyResources_holdEveryTypeAndAnswerByTypeUrl() {
        ProxyResources r = ProxyResources.of(ProxyKind.SIDECAR,
                Map.of(XdsType.CLUSTER, ResourceSet.of(XdsType.CLUSTER, List.of(cluster("a", 1)))));
        assertThat(r.sets().keySet()).containsExactly(XdsType.CLUSTER, XdsType.ENDPOINT, XdsType.LISTENER, XdsType.ROUTE);
        assertThat(r.forTypeUrl(XdsType.CLUSTER.typeUrl()).orElseThrow().names()).containsExactly("a");
        assertThat(r.forTypeUrl("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret")).isEmpty();
        assertThat(r.listeners().isEmpty()).isTrue();
        assertThat(r.totalCount()).isEqualTo(1);
    }

    @Test
    void plus_equalsTheSetBuiltFromEverything_withoutRebuildingTheBase() {
        ResourceSet base = ResourceSet.of(XdsType.CLUSTER, List.of(cluster("b", 1), cluster("d", 1), cluster("f", 1)));
        ResourceSet extended = base.plus(List.of(cluster("g", 1), cluster("a", 1), cluster("c", 1)));
        ResourceSet direct = ResourceSet.of(XdsType.CLUSTER, List.of(cluster("a", 1), cluster("b", 1), cluster("c", 1),
                cluster("d", 1), cluster("f", 1), cluster("g", 1)));
        assertThat(extended.names()).containsExactly("a", "b", "c", "d", "f", "g");
        assertThat(extended.version()).isEqualTo(direct.version());
        assertThat(extended).isEqualTo(direct);
        assertThat(extended.totalBytes()).isEqualTo(direct.totalBytes());
        assertThat(base.plus(List.of())).isSameAs(base);
        assertThat(base.names()).containsExactly("b", "d", "f");
    }

    @Test
    void plus_rejectsANameTakenInTheBaseOrTwiceAmongTheAdditions() {
        ResourceSet base = ResourceSet.of(XdsType.CLUSTER, List.of(cluster("b", 1), cluster("d", 1)));
        assertThatThrownBy(() -> base.plus(List.of(cluster("d", 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two clusters named d");
        assertThatThrownBy(() -> base.plus(List.of(cluster("z", 1), cluster("z", 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two clusters named z");
        assertThatThrownBy(() -> base.plus(List.of(XdsResource.listener(Listener.newBuilder().setName("l").build(), ""))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void version_changesWithAnyNameOrContent_andSeparatesTypesAndSizes() {
        ResourceSet ab = ResourceSet.of(XdsType.CLUSTER, List.of(cluster("a", 1), cluster("b", 1)));
        assertThat(ResourceSet.of(XdsType.CLUSTER, List.of(cluster("a", 1), cluster("c", 1))).version())
                .isNotEqualTo(ab.version());
        assertThat(ResourceSet.of(XdsType.CLUSTER, List.of(cluster("a", 1))).version()).isNotEqualTo(ab.version());
        assertThat(ResourceSet.empty(XdsType.CLUSTER).version()).isNotEqualTo(ResourceSet.empty(XdsType.ROUTE).version());
        assertThat(ab.version()).matches("[0-9a-f]{16}");
    }

    @Test
    void lookupsByName_findEveryMemberAndNothingElse() {
        List<XdsResource> members = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i += 2) {
            members.add(cluster(String.format("c%03d", i), 1));
        }
        ResourceSet set = ResourceSet.of(XdsType.CLUSTER, members);
        for (int i = 0; i < 200; i++) {
            String name = String.format("c%03d", i);
            assertThat(set.contains(name)).as(name).isEqualTo(i % 2 == 0);
            assertThat(set.get(name).isPresent()).as(name).isEqualTo(i % 2 == 0);
        }
        assertThat(set.contains("")).isFalse();
        assertThat(set.contains("zzz")).isFalse();
    }
}
