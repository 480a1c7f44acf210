package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.EndpointSliceInfo;
import dev.meshpilot.core.model.EndpointSliceInfo.SliceEndpoint;
import dev.meshpilot.core.model.Locality;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.xds.resource.ProxyResources;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointAssignmentTest {

    private static ClusterLoadAssignment web(TestMesh mesh) {
        ProxyResources r = new ProxyConfigGenerator().generate(mesh.snapshot(),
                TestMesh.sidecar("client", "default", "10.0.0.1", Map.of()), mesh.scope("default"));
        return (ClusterLoadAssignment) r.endpoints().get("outbound|80||web.default.svc.cluster.local").orElseThrow()
                .proto();
    }

    private static TestMesh withSlice(SliceEndpoint... endpoints) {
        TestMesh mesh = new TestMesh().service("web", "default", "10.96.0.1", Map.of("app", "web"), TestMesh.http(80));
        mesh.slices.add(new EndpointSliceInfo(ObjectMeta.of("default", "web-abc"), "web",
                List.of(new EndpointSliceInfo.SlicePort("http", 8080, "TCP")), List.of(endpoints)));
        return mesh;
    }

    private static SliceEndpoint ep(String ip, boolean ready, boolean serving, boolean terminating, Locality where) {
        return new SliceEndpoint(List.of(ip), ready, serving, terminating, "", where);
    }

    @Test
    void sliceConditions_becomeHealthStatuses() {
        ClusterLoadAssignment cla = web(withSlice(
                ep("10.0.1.1", true, true, false, Locality.UNKNOWN),
                ep("10.0.1.2", false, true, true, Locality.UNKNOWN),
                ep("10.0.1.3", false, false, false, Locality.UNKNOWN)));
        assertThat(cla.getEndpoints(0).getLbEndpointsList()).extracting(LbEndpoint::getHealthStatus)
                .containsExactly(HealthStatus.HEALTHY, HealthStatus.DRAINING, HealthStatus.UNHEALTHY);
        assertThat(cla.getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress().getPortValue())
                .isEqualTo(8080);
    }

    @Test
    void endpoints_areGroupedByLocality_sortedAndWeighted() {
        Locality a = new Locality("eu-west1", "eu-west1-a");
        Locality b = new Locality("eu-west1", "eu-west1-b");
        ClusterLoadAssignment cla = web(withSlice(
                ep("10.0.2.9", true, true, false, b),
                ep("10.0.2.1", true, true, false, a),
                ep("10.0.2.5", true, true, false, b)));
        assertThat(cla.getEndpointsList()).extracting(l -> l.getLocality().getZone())
                .containsExactly("eu-west1-a", "eu-west1-b");
        LocalityLbEndpoints zoneB = cla.getEndpoints(1);
        assertThat(zoneB.getLoadBalancingWeight().getValue()).isEqualTo(2);
        assertThat(zoneB.getLbEndpointsList()).extracting(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
                .containsExactly("10.0.2.5", "10.0.2.9");
    }

    @Test
    void serviceWithoutEndpoints_getsAnEmptyAssignment() {
        ClusterLoadAssignment cla = web(withSlice());
        assertThat(cla.getClusterName()).isEqualTo("outbound|80||web.default.svc.cluster.local");
        assertThat(cla.getEndpointsList()).isEmpty();
    }
}
