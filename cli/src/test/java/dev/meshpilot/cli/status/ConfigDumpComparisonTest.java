package dev.meshpilot.cli.status;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The comparison istioctl's {@code proxy-status POD} prints (istioctl/pkg/writer/compare): versions and update
 * times ignored, names sorted (virtual hosts too), Envoy's snake_case against meshpilot's camelCase, RDS's last
 * load time from Envoy's side.
 */
class ConfigDumpComparisonTest {
    private static final String CONTROL_PLANE = """
            {"configs": [
              {"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", "versionInfo": "7",
               "dynamicActiveClusters": [
                 {"versionInfo": "7", "cluster": {"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                  "name": "outbound|80||web.shop.svc.cluster.local", "connectTimeout": "10s"}},
                 {"versionInfo": "7", "cluster": {"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                  "name": "BlackHoleCluster", "connectTimeout": "10s"}}]},
              {"@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
               "dynamicListeners": [{"name": "virtualOutbound", "activeState": {"versionInfo": "3",
                 "listener": {"@type": "type.googleapis.com/envoy.config.listener.v3.Listener",
                  "name": "virtualOutbound"}}}]},
              {"@type": "type.googleapis.com/envoy.admin.v3.RoutesConfigDump",
               "dynamicRouteConfigs": [{"versionInfo": "2", "routeConfig": {
                 "@type": "type.googleapis.com/envoy.config.route.v3.RouteConfiguration", "name": "80",
                 "virtualHosts": [{"name": "a:80"}, {"name": "b:80"}]}}]}]}
            """;

    /** The same config as Envoy's admin API prints it: proto field names, other order, times. */
    private static final String ENVOY_SAME = """
            {"configs": [
              {"@type": "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump", "bootstrap": {}},
              {"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", "version_info": "7",
               "static_clusters": [{"cluster": {"name": "prometheus_stats"}}],
               "dynamic_active_clusters": [
                 {"version_info": "7", "last_updated": "2026-12-06T04:59:00Z",
                  "cluster": {"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                  "name": "BlackHoleCluster", "connect_timeout": "10s"}},
                 {"version_info": "7", "last_updated": "2026-12-06T04:59:00Z",
                  "cluster": {"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                  "name": "outbound|80||web.shop.svc.cluster.local", "connect_timeout": "10s"}}]},
              {"@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
               "dynamic_listeners": [{"name": "virtualOutbound", "active_state": {"version_info": "3",
                 "last_updated": "2026-12-06T04:59:00Z",
                 "listener": {"@type": "type.googleapis.com/envoy.config.listener.v3.Listener",
                  "name": "virtualOutbound"}}, "draining_state": {"version_info": "2"}}]},
              {"@type": "type.googleapis.com/envoy.admin.v3.RoutesConfigDump",
               "dynamic_route_configs": [{"version_info": "2", "last_updated": "2026-12-06T05:00:00Z",
                 "route_config": {"@type": "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
                 "name": "80", "virtual_hosts": [{"name": "b:80"}, {"name": "a:80"}]}}]}]}
            """;

    private static String compare(String controlPlane, String envoy) {
        return ConfigDumpComparison.compare(ConfigDumpComparison.envoyConfigs(controlPlane),
                ConfigDumpComparison.envoyConfigs(envoy), ZoneId.of("UTC"));
    }

    @Test
    void sameConfig_inEnvoysNamingOrderAndVersions_matches_withRdsLoadTime() {
        assertThat(compare(CONTROL_PLANE, ENVOY_SAME)).isEqualTo("""
                Clusters Match
                Listeners Match
                Routes Match (RDS last loaded at Sun, 06 Dec 2026 05:00:00 UTC)
                """);
    }

    @Test
    void differentConnectTimeout_isAClusterDiff_withIndentedJsonLines() {
        String envoy = ENVOY_SAME.replace("\"name\": \"BlackHoleCluster\", \"connect_timeout\": \"10s\"",
                "\"name\": \"BlackHoleCluster\", \"connect_timeout\": \"1s\"");
        String out = compare(CONTROL_PLANE, envoy);
        assertThat(out).startsWith("Clusters Don't Match\n--- Istiod Clusters\n+++ Envoy Clusters\n@@ ")
                .contains("\n-                \"connectTimeout\": \"10s\"\n+                \"connectTimeout\": \"1s\"\n")
                .contains("\nListeners Match\n");
    }

    @Test
    void missingListener_isAListenerDiff() {
        String envoy = ENVOY_SAME.replace("\"dynamic_listeners\": [", "\"dynamic_listeners\": [], \"x\": [");
        assertThat(compare(CONTROL_PLANE, envoy)).contains("Listeners Don't Match\n--- Istiod Listeners\n")
                .contains("-    \"dynamicListeners\": [");
    }

    @Test
    void notAConfigDump_isRefusedWithAReason() {
        assertThatThrownBy(() -> ConfigDumpComparison.envoyConfigs("{\"clusters\": []}"))
                .hasMessageContaining("no \"configs\" array");
        assertThatThrownBy(() -> ConfigDumpComparison.envoyConfigs("{oops"))
                .hasMessageContaining("not JSON");
    }
}
