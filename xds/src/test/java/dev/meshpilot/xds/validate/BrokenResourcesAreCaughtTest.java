package dev.meshpilot.xds.validate;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ResourceSet;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Deliberately broken resources: each is caught, with a message naming the field path and the rule. */
class BrokenResourcesAreCaughtTest {

    private static final Address ADDRESS = Address.newBuilder()
            .setSocketAddress(SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(80)).build();

    private static List<String> violations(XdsResource resource) {
        return XdsValidator.validate(resource).stream().map(Violation::toString).toList();
    }

    @Test
    void clusterWithoutName_isCaught() {
        Cluster cluster = Cluster.newBuilder().setType(Cluster.DiscoveryType.STATIC).build();
        assertThat(XdsValidator.protoValidator().validate(cluster))
                .extracting(Violation::path, Violation::rule)
                .contains(org.assertj.core.groups.Tuple.tuple("name", "string.min_len = 1"));
    }

    @Test
    void clusterWithZeroConnectTimeout_isCaught() {
        Cluster cluster = Cluster.newBuilder().setName("c").setConnectTimeout(Duration.newBuilder().setSeconds(0)).build();
        assertThat(violations(XdsResource.cluster(cluster, ""))).singleElement().asString()
                .isEqualTo("CDS c: connect_timeout violates duration.gt = 0s");
    }

    @Test
    void listenerWithoutAddress_isCaughtWhenItIsNotAnApiListener() {
        Listener listener = Listener.newBuilder().setName("l")
                .addFilterChains(FilterChain.newBuilder().addFilters(Filters.tcp("BlackHoleCluster")))
                .build();
        assertThat(semantics(ProxyKind.SIDECAR, XdsResource.listener(listener, ""))).singleElement().asString()
                .isEqualTo("LDS l: address violates required for a listener that is not an api_listener");
    }

    @Test
    void twoListenersOnOneAddress_areCaught() {
        Listener listener = Listener.newBuilder().setName("a").setAddress(ADDRESS)
                .addFilterChains(FilterChain.newBuilder().addFilters(Filters.tcp("x"))).build();
        XdsResource a = XdsResource.listener(listener, "");
        XdsResource b = XdsResource.listener(listener.toBuilder().setName("b").build(), "");
        ProxyResources resources = ProxyResources.of(ProxyKind.SIDECAR,
                Map.of(XdsType.LISTENER, ResourceSet.of(XdsType.LISTENER, List.of(a, b))));
        assertThat(XdsValidator.validateSemantics(resources)).singleElement().asString()
                .isEqualTo("LDS b: address violates unique among listeners (another listener has 0.0.0.0:80)");
    }

    @Test
    void filterWithoutName_isCaught() {
        Listener namelessFilter = Listener.newBuilder().setName("l").setAddress(ADDRESS)
                .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder())).build();
        assertThat(XdsValidator.protoValidator().validate(namelessFilter))
                .extracting(Violation::path).contains("filter_chains[0].filters[0].name");
    }

    @Test
    void grpcRouterFilterWithoutTypedConfig_isCaught() {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder().setStatPrefix("s")
                .setRds(Rds.newBuilder().setRouteConfigName("a:1").setConfigSource(ConfigSource.newBuilder()
                        .setAds(AggregatedConfigSource.getDefaultInstance())))
                .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router"))
                .build();
        Listener listener = Listener.newBuilder().setName("a:1")
                .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm))).build();
        assertThat(semantics(ProxyKind.PROXYLESS_GRPC, XdsResource.listener(listener, ""))).singleElement().asString()
                .isEqualTo("LDS a:1: api_listener.api_listener.http_filters[0].typed_config violates required by "
                        + "grpc-java for the router filter");
    }

    @Test
    void grpcLocalityWithoutWeight_isCaught() {
        ClusterLoadAssignment cla = ClusterLoadAssignment.newBuilder().setClusterName("c")
                .addEndpoints(LocalityLbEndpoints.newBuilder()
                        .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.getDefaultInstance())).build();
        assertThat(semantics(ProxyKind.PROXYLESS_GRPC, XdsResource.endpoints(cla, ""))).singleElement().asString()
                .isEqualTo("EDS c: endpoints[0].load_balancing_weight violates set on every locality for proxyless gRPC");
        assertThat(semantics(ProxyKind.SIDECAR, XdsResource.endpoints(cla, ""))).isEmpty();
    }

    @Test
    void grpcLocalityUnset_isCaught() {
        ClusterLoadAssignment cla = ClusterLoadAssignment.newBuilder().setClusterName("c")
                .addEndpoints(LocalityLbEndpoints.newBuilder().setLoadBalancingWeight(UInt32Value.of(1))).build();
        assertThat(semantics(ProxyKind.PROXYLESS_GRPC, XdsResource.endpoints(cla, ""))).singleElement().asString()
                .startsWith("EDS c: endpoints[0].locality violates set on every locality for proxyless gRPC");
    }

    @Test
    void domainRepeatedAcrossVirtualHosts_isCaught() {
        RouteConfiguration config = RouteConfiguration.newBuilder().setName("80")
                .addVirtualHosts(VirtualHost.newBuilder().setName("a").addDomains("x").addRoutes(direct()))
                .addVirtualHosts(VirtualHost.newBuilder().setName("b").addDomains("x").addRoutes(direct()))
                .build();
        assertThat(semantics(ProxyKind.SIDECAR, XdsResource.route(config, ""))).singleElement().asString()
                .isEqualTo("RDS 80: virtual_hosts[1].domains[0] violates unique across the route configuration's "
                        + "virtual hosts (x)");
    }

    private static Route direct() {
        return Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setDirectResponse(io.envoyproxy.envoy.config.route.v3.DirectResponseAction.newBuilder().setStatus(404))
                .build();
    }

    private static List<String> semantics(ProxyKind kind, XdsResource resource) {
        ProxyResources resources = ProxyResources.of(kind,
                Map.of(resource.type(), ResourceSet.of(resource.type(), List.of(resource))));
        return XdsValidator.validateSemantics(resources).stream().map(Violation::toString).toList();
    }

    /** Test-local filter builders. */
    private static final class Filters {
        static Filter tcp(String cluster) {
            return Filter.newBuilder().setName("envoy.filters.network.tcp_proxy")
                    .setTypedConfig(Any.pack(TcpProxy.newBuilder().setStatPrefix(cluster).setCluster(cluster).build()))
                    .build();
        }
    }

    @Test
    void nestedAnyPayload_isValidatedThroughTheTypeRegistry() {
        HttpConnectionManager hcm = HttpConnectionManager.getDefaultInstance(); // no stat_prefix, no route specifier
        Listener listener = Listener.newBuilder().setName("l").setAddress(ADDRESS)
                .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager").setTypedConfig(Any.pack(hcm))))
                .build();
        assertThat(violations(XdsResource.listener(listener, ""))).contains(
                "LDS l: filter_chains[0].filters[0].typed_config"
                        + "<envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager>"
                        + ".stat_prefix violates string.min_len = 1",
                "LDS l: filter_chains[0].filters[0].typed_config"
                        + "<envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager>"
                        + ".route_specifier violates oneof required");
    }

    @Test
    void tcpProxyWithoutCluster_isCaughtAsMissingOneof() {
        TcpProxy tcp = TcpProxy.newBuilder().setStatPrefix("s").build();
        assertThat(XdsValidator.protoValidator().validate(tcp)).extracting(Violation::path, Violation::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cluster_specifier", "oneof required"));
    }

    @Test
    void routeWithoutAction_andVirtualHostWithoutDomains_areCaught() {
        RouteConfiguration config = RouteConfiguration.newBuilder().setName("80")
                .addVirtualHosts(VirtualHost.newBuilder().setName("vh")
                        .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))))
                .build();
        assertThat(violations(XdsResource.route(config, ""))).contains(
                "RDS 80: virtual_hosts[0].domains violates repeated.min_items = 1",
                "RDS 80: virtual_hosts[0].routes[0].action violates oneof required");
    }

    @Test
    void weightedClusterWithoutEntries_isCaught() {
        RouteConfiguration config = RouteConfiguration.newBuilder().setName("80")
                .addVirtualHosts(VirtualHost.newBuilder().setName("vh").addDomains("*")
                        .addRoutes(Route.newBuilder().setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()))))
                .build();
        assertThat(violations(XdsResource.route(config, ""))).contains(
                "RDS 80: virtual_hosts[0].routes[0].route.weighted_clusters.clusters violates repeated.min_items = 1");
    }

    @Test
    void endpointPortOutOfRange_isCaught() {
        ClusterLoadAssignment cla = ClusterLoadAssignment.newBuilder().setClusterName("c")
                .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                        .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
                                SocketAddress.newBuilder().setAddress("10.0.0.1").setPortValue(70000))))
                        .setLoadBalancingWeight(UInt32Value.of(0))))
                .build();
        assertThat(violations(XdsResource.endpoints(cla, ""))).contains(
                "EDS c: endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value violates "
                        + "uint32.lte = 65535 (value 70000)",
                "EDS c: endpoints[0].lb_endpoints[0].load_balancing_weight violates uint32.gte = 1 (value 0)");
    }

    @Test
    void undefinedEnumValue_isCaughtByDefinedOnly() {
        Cluster cluster = Cluster.newBuilder().setName("c").setTypeValue(42).build();
        assertThat(violations(XdsResource.cluster(cluster, ""))).singleElement().asString()
                .startsWith("CDS c: type violates enum.defined_only");
    }

    @Test
    void anyOfAnUnregisteredType_isReported() {
        Listener listener = Listener.newBuilder().setName("l").setAddress(ADDRESS)
                .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder().setName("x")
                        .setTypedConfig(Any.newBuilder().setTypeUrl("type.googleapis.com/example.v1.Unknown"))))
                .build();
        assertThat(violations(XdsResource.listener(listener, ""))).singleElement().asString()
                .isEqualTo("LDS l: filter_chains[0].filters[0].typed_config violates a type known to the type registry "
                        + "(type.googleapis.com/example.v1.Unknown is not)");
    }

    @Test
    void unsetOneofMember_doesNotTriggerItsRules() {
        RouteMatch prefixOnly = RouteMatch.newBuilder().setPrefix("/").build();
        assertThat(XdsValidator.protoValidator().validate(prefixOnly)).isEmpty();
    }
}
