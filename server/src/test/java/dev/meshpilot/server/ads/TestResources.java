package dev.meshpilot.server.ads;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small hand-made resource sets: {@code cluster("a", "v1")} etc. */
final class TestResources {
    private final Map<String, List<VersionedResource>> byType = new LinkedHashMap<>();

    static TestResources builder() {
        return new TestResources();
    }

    TestResources cluster(String name, String version) {
        return add(XdsTypes.CLUSTER, name, version, Any.pack(Cluster.newBuilder().setName(name)
                .setAltStatName(version).build()));
    }

    /** A cluster whose body carries {@code padding} extra bytes (to fill transport windows). */
    TestResources bigCluster(String name, String version, int padding) {
        return add(XdsTypes.CLUSTER, name, version, Any.pack(Cluster.newBuilder().setName(name)
                .setAltStatName(version + "-" + "x".repeat(padding)).build()));
    }

    TestResources endpoints(String name, String version) {
        return add(XdsTypes.ENDPOINT, name, version, Any.pack(ClusterLoadAssignment.newBuilder().setClusterName(name)
                .addEndpoints(io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints.newBuilder()
                        .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder().setZone(version)))
                .build()));
    }

    TestResources listener(String name, String version) {
        return add(XdsTypes.LISTENER, name, version, Any.pack(Listener.newBuilder().setName(name)
                .setStatPrefix(version).build()));
    }

    TestResources route(String name, String version) {
        return add(XdsTypes.ROUTE, name, version, Any.pack(RouteConfiguration.newBuilder().setName(name)
                .addInternalOnlyHeaders(version).build()));
    }

    private TestResources add(String type, String name, String version, Any body) {
        byType.computeIfAbsent(type, t -> new ArrayList<>()).add(new VersionedResource(name, body, version));
        return this;
    }

    ResourceSet build() {
        return ResourceSet.of(byType);
    }
}
