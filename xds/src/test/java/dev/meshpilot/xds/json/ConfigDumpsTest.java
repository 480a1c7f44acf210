package dev.meshpilot.xds.json;

import com.google.protobuf.Any;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.golden.ExampleMeshes;
import dev.meshpilot.xds.resource.ProxyResources;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigDumpsTest {

    private static ProxyResources productpage() {
        return ExampleMeshes.generate("bookinfo",
                ExampleMeshes.proxy("bookinfo", "productpage-v1-0", "default", ProxyKind.SIDECAR));
    }

    @Test
    void configDump_holdsEveryResourceInEnvoysSectionOrder() throws Exception {
        ProxyResources r = productpage();
        ConfigDump dump = ConfigDumps.of(r);
        assertThat(dump.getConfigsList()).extracting(Any::getTypeUrl).containsExactly(
                "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
                "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
                "type.googleapis.com/envoy.admin.v3.RoutesConfigDump",
                "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump");
        ClustersConfigDump clusters = dump.getConfigs(0).unpack(ClustersConfigDump.class);
        assertThat(clusters.getDynamicActiveClustersCount()).isEqualTo(r.clusters().size());
        assertThat(clusters.getDynamicActiveClusters(0).getVersionInfo()).isEqualTo(r.clusters().version());
        assertThat(clusters.getDynamicActiveClusters(0).getCluster().unpack(Cluster.class).getName())
                .isEqualTo("BlackHoleCluster");
        assertThat(dump.getConfigs(1).unpack(ListenersConfigDump.class).getDynamicListenersList())
                .extracting(l -> l.getName()).containsExactlyElementsOf(r.listeners().names());
        assertThat(dump.getConfigs(2).unpack(RoutesConfigDump.class).getDynamicRouteConfigsCount())
                .isEqualTo(r.routes().size());
        assertThat(dump.getConfigs(3).unpack(EndpointsConfigDump.class).getDynamicEndpointConfigsCount())
                .isEqualTo(r.endpoints().size());
    }

    @Test
    void configDumpJson_expandsEveryAnyAndParsesBack() throws Exception {
        String json = XdsJson.print(ConfigDumps.of(productpage()));
        assertThat(json).contains("\"@type\": \"type.googleapis.com/envoy.admin.v3.ClustersConfigDump\"")
                .contains("\"@type\": \"type.googleapis.com/envoy.extensions.filters.http.router.v3.Router\"")
                .doesNotContain("lastUpdated");
        ConfigDump parsed = XdsJson.parse(json, ConfigDump.newBuilder()).build();
        assertThat(parsed).isEqualTo(ConfigDumps.of(productpage()));
    }

    @Test
    void resourceArrays_areProto3JsonWithCamelCaseNames() {
        String json = XdsJson.printArray(productpage().clusters());
        assertThat(json).startsWith("[\n  {\n    \"name\": \"BlackHoleCluster\"").endsWith("]\n")
                .contains("\"connectTimeout\": \"10s\"").doesNotContain("connect_timeout");
        assertThat(XdsJson.printArray(java.util.List.of())).isEqualTo("[]\n");
    }
}
