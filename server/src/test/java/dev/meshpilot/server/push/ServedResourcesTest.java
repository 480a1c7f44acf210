package dev.meshpilot.server.push;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.server.ads.ResourceSet;
import dev.meshpilot.server.ads.VersionedResource;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServedResourcesTest {

    private static XdsResource cluster(String name, int seconds) {
        return XdsResource.cluster(Cluster.newBuilder().setName(name)
                .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(seconds)).build(), "test");
    }

    private static XdsResource endpoints(String name) {
        return XdsResource.endpoints(ClusterLoadAssignment.newBuilder().setClusterName(name).build(), "test");
    }

    private static ProxyResources resources(List<XdsResource> clusters, List<XdsResource> endpoints) {
        return ProxyResources.of(ProxyKind.SIDECAR, Map.of(
                XdsType.CLUSTER, dev.meshpilot.xds.resource.ResourceSet.of(XdsType.CLUSTER, clusters),
                XdsType.ENDPOINT, dev.meshpilot.xds.resource.ResourceSet.of(XdsType.ENDPOINT, endpoints)));
    }

    @Test
    void everyResource_isServedPackedUnderItsContentHash() {
        XdsResource a = cluster("a", 1);
        ResourceSet served = new ServedResources().of(resources(List.of(a), List.of()));
        VersionedResource r = served.ofType(XdsType.CLUSTER.typeUrl()).get("a");
        assertThat(r.version()).isEqualTo(a.hash());
        assertThat(r.body()).isEqualTo(a.toAny());
        assertThat(served.ofType(XdsType.LISTENER.typeUrl())).isEmpty();
    }

    @Test
    void equalSetsGeneratedSeparately_shareOneConversion() {
        ServedResources served = new ServedResources();
        // two proxies of different scopes whose endpoint sets are equal but were generated separately
        ResourceSet one = served.of(resources(List.of(cluster("a", 1)), List.of(endpoints("a"))));
        ResourceSet two = served.of(resources(List.of(cluster("a", 2)), List.of(endpoints("a"))));
        assertThat(two.ofType(XdsType.ENDPOINT.typeUrl())).isSameAs(one.ofType(XdsType.ENDPOINT.typeUrl()));
        assertThat(two.ofType(XdsType.CLUSTER.typeUrl())).isNotSameAs(one.ofType(XdsType.CLUSTER.typeUrl()));
        assertThat(two.ofType(XdsType.CLUSTER.typeUrl()).get("a").version())
                .isNotEqualTo(one.ofType(XdsType.CLUSTER.typeUrl()).get("a").version());
    }

    @Test
    void aTypeWhoseSetDidNotChange_keepsThePreviousConversion() {
        ProxyResources before = resources(List.of(cluster("a", 1)), List.of(endpoints("a")));
        ResourceSet servedBefore = new ServedResources().of(before);
        ProxyResources after = resources(List.of(cluster("a", 1)), List.of(endpoints("a"), endpoints("b")));
        ResourceSet servedAfter = new ServedResources().of(after, before, servedBefore);
        assertThat(servedAfter.ofType(XdsType.CLUSTER.typeUrl()))
                .isSameAs(servedBefore.ofType(XdsType.CLUSTER.typeUrl()));
        assertThat(servedAfter.ofType(XdsType.ENDPOINT.typeUrl())).containsOnlyKeys("a", "b");
        assertThat(ResourceSet.changedTypes(servedBefore, servedAfter)).containsExactly(XdsType.ENDPOINT.typeUrl());
    }
}
