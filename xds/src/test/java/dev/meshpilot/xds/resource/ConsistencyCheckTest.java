package dev.meshpilot.xds.resource;

import com.google.protobuf.Any;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.naming.XdsType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsistencyCheckTest {

    private static ProxyResources of(XdsResource... resources) {
        Map<XdsType, List<XdsResource>> byType = new EnumMap<>(XdsType.class);
        for (XdsResource r : resources) {
            byType.computeIfAbsent(r.type(), t -> new java.util.ArrayList<>()).add(r);
        }
        Map<XdsType, ResourceSet> sets = new EnumMap<>(XdsType.class);
        byType.forEach((t, list) -> sets.put(t, ResourceSet.of(t, list)));
        return ProxyResources.of(ProxyKind.SIDECAR, sets);
    }

    private static XdsResource edsCluster(String name) {
        return XdsResource.cluster(Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setServiceName(name)).build(), "");
    }

    private static XdsResource tcpListener(String name, String cluster) {
        return XdsResource.listener(Listener.newBuilder().setName(name).addFilterChains(FilterChain.newBuilder()
                .addFilters(Filter.newBuilder().setName("tcp").setTypedConfig(Any.pack(
                        TcpProxy.newBuilder().setStatPrefix("s").setCluster(cluster).build())))).build(), "");
    }

    @Test
    void edsClusterWithoutAssignment_isReported() {
        assertThat(ConsistencyCheck.problems(of(edsCluster("c"))))
                .containsExactly("EDS cluster c has no ClusterLoadAssignment c");
    }

    @Test
    void listenerPointingAtMissingCluster_isReported() {
        assertThat(ConsistencyCheck.problems(of(tcpListener("l", "nowhere"))))
                .containsExactly("listener l filter chain '' points at cluster nowhere, which is not generated");
    }

    @Test
    void rdsNameWithoutRouteConfiguration_isReported() {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setStatPrefix("s")
                .setRds(Rds.newBuilder().setRouteConfigName("8080").setConfigSource(ConfigSource.newBuilder()
                        .setAds(AggregatedConfigSource.getDefaultInstance()))).build();
        XdsResource listener = XdsResource.listener(Listener.newBuilder().setName("0.0.0.0_8080")
                .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder().setName("hcm")
                        .setTypedConfig(Any.pack(hcm)))).build(), "");
        assertThat(ConsistencyCheck.problems(of(listener))).singleElement().asString()
                .contains("asks RDS for route configuration 8080");
    }

    @Test
    void routeToMissingCluster_isReported_andGeneratorRefusesToPublish() {
        XdsResource routes = XdsResource.route(RouteConfiguration.newBuilder().setName("80")
                .addVirtualHosts(VirtualHost.newBuilder().setName("v").addDomains("*")
                        .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setRoute(RouteAction.newBuilder().setCluster("gone")))).build(), "");
        ProxyResources broken = of(routes);
        assertThat(ConsistencyCheck.problems(broken)).hasSize(1);
        assertThatThrownBy(() -> ConsistencyCheck.requireConsistent(broken, "p.ns"))
                .isInstanceOf(InconsistentResourcesException.class)
                .hasMessageContaining("p.ns").hasMessageContaining("gone");
    }

    @Test
    void consistentSet_hasNoProblems() {
        XdsResource cla = XdsResource.endpoints(
                io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.newBuilder().setClusterName("c").build(), "");
        assertThat(ConsistencyCheck.problems(of(edsCluster("c"), cla, tcpListener("l", "c")))).isEmpty();
    }
}
