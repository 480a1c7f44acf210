package dev.meshpilot.xds.generate;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.resource.ProxyResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.meshpilot.xds.generate.IstioShapes.cluster;
import static dev.meshpilot.xds.generate.IstioShapes.hcm;
import static dev.meshpilot.xds.generate.IstioShapes.listener;
import static dev.meshpilot.xds.generate.IstioShapes.routes;
import static dev.meshpilot.xds.generate.IstioShapes.unpack;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 item 7: routes and passthrough/inbound cluster details as istiod 1.29 sets them. Mirrors Istio's
 * {@code httproute_test.go TestSidecarOutboundHTTPRouteConfig} (decorators, attempt counts, port-less domains),
 * {@code route_test.go} ({@code BuildDefaultHTTPInboundRoute}), {@code cluster_builder_test.go
 * TestBuildPassthroughClusters} and {@code cluster_test.go TestInboundClustersPassThroughBindIPs}.
 */
class RouteAndClusterShapesTest {

    @ParameterizedTest
    @EnumSource(value = ProxyKind.class, names = {"SIDECAR", "ENVOY"})
    void outboundDefaultRoute_hasTraceDecoratorAndUncappedGrpcTimeout(ProxyKind kind) {
        RouteConfiguration config = routes(IstioShapes.productpage(kind), "9080");
        assertThat(config.getIgnorePortInHostMatching()).isTrue();
        VirtualHost ratings = config.getVirtualHostsList().stream()
                .filter(v -> v.getName().equals("ratings.default.svc.cluster.local:9080")).findFirst().orElseThrow();
        assertThat(ratings.getIncludeRequestAttemptCount()).isTrue();
        assertThat(ratings.getDomainsList()).containsExactly("ratings.default.svc.cluster.local",
                "ratings.default.svc.cluster.local.", "ratings", "ratings.default.svc", "ratings.default", "10.96.0.12");
        Route route = ratings.getRoutes(0);
        assertThat(route.getDecorator().getOperation()).isEqualTo("ratings.default.svc.cluster.local:9080/*");
        assertThat(route.getRoute().hasMaxGrpcTimeout()).isTrue();
        assertThat(route.getRoute().getMaxGrpcTimeout().getSeconds()).isZero();
        VirtualHost catchAll = config.getVirtualHosts(config.getVirtualHostsCount() - 1);
        assertThat(catchAll.getName()).isEqualTo("allow_any");
        assertThat(catchAll.getIncludeRequestAttemptCount()).isTrue();
        assertThat(catchAll.getRoutes(0).getRoute().hasMaxGrpcTimeout()).isTrue();
    }

    @Test
    void inboundDefaultRoute_isUncappedWithResetRetries_andNamedAfterTheServicePort() {
        FilterChain chain = listener(IstioShapes.reviews(ProxyKind.SIDECAR), "virtualInbound").getFilterChainsList()
                .stream().filter(c -> c.getName().equals("0.0.0.0_9080")).findFirst().orElseThrow();
        VirtualHost host = hcm(chain).getRouteConfig().getVirtualHosts(0);
        assertThat(host.getName()).isEqualTo("inbound|http|9080");
        Route route = host.getRoutes(0);
        assertThat(route.getName()).isEqualTo("default");
        assertThat(route.getDecorator().getOperation()).isEqualTo("reviews.default.svc.cluster.local:9080/*");
        assertThat(route.getRoute().getCluster()).isEqualTo("inbound|9080||");
        assertThat(route.getRoute().getTimeout().getSeconds()).isZero();
        assertThat(route.getRoute().getMaxStreamDuration().getMaxStreamDuration().getSeconds()).isZero();
        assertThat(route.getRoute().getMaxStreamDuration().getGrpcTimeoutHeaderMax().getSeconds()).isZero();
        assertThat(route.getRoute().getRetryPolicy().getRetryOn()).isEqualTo("reset-before-request");
        assertThat(route.getRoute().getRetryPolicy().getNumRetries().getValue()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(value = ProxyKind.class, names = {"SIDECAR", "ENVOY"})
    void passthroughClusters_speakTheDownstreamProtocolUpstream(ProxyKind kind) {
        ProxyResources r = IstioShapes.productpage(kind);
        for (String name : new String[] {"PassthroughCluster", "InboundPassthroughCluster"}) {
            HttpProtocolOptions options = unpack(cluster(r, name).getTypedExtensionProtocolOptionsOrThrow(
                    "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"), HttpProtocolOptions.class);
            assertThat(options.hasUseDownstreamProtocolConfig()).as(name).isTrue();
            assertThat(options.getUseDownstreamProtocolConfig().hasHttpProtocolOptions()).isTrue();
            assertThat(options.getUseDownstreamProtocolConfig().hasHttp2ProtocolOptions()).isTrue();
            assertThat(options.getCommonHttpProtocolOptions().getIdleTimeout().getSeconds()).isEqualTo(300);
        }
    }

    /** Mirrors Istio's {@code util_test.go TestAddSubsetToMetadata}. */
    @Test
    void subsetCluster_namesItsSubsetInIstioMetadata_defaultClusterDoesNot() {
        ProxyResources r = IstioShapes.productpage(ProxyKind.SIDECAR);
        assertThat(cluster(r, "outbound|9080|v2|reviews.default.svc.cluster.local").getMetadata()
                .getFilterMetadataOrThrow("istio").getFieldsOrThrow("subset").getStringValue()).isEqualTo("v2");
        assertThat(cluster(r, "outbound|9080||reviews.default.svc.cluster.local").getMetadata()
                .getFilterMetadataOrThrow("istio").getFieldsMap()).doesNotContainKey("subset");
    }

    @Test
    void inboundOriginalDestinationCluster_isNeverCleanedUp_andTracksRemainingCapacity() {
        Cluster inbound = cluster(IstioShapes.reviews(ProxyKind.SIDECAR), "inbound|9080||");
        assertThat(inbound.getType()).isEqualTo(Cluster.DiscoveryType.ORIGINAL_DST);
        assertThat(inbound.getCleanupInterval().getSeconds()).isEqualTo(9223372035L);
        assertThat(inbound.getCircuitBreakers().getThresholds(0).getTrackRemaining()).isTrue();
    }
}
