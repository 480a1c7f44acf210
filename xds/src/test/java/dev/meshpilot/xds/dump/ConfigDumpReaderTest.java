package dev.meshpilot.xds.dump;

import dev.meshpilot.xds.golden.ExampleMeshes;
import dev.meshpilot.xds.inspect.DumpedConfig;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigDumpReaderTest {

    private static final Path DUMPS = ExampleMeshes.repoRoot().resolve("xds/src/test/resources/dumps");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static DumpReadResult read(Path file) {
        return ConfigDumpReader.read(file, new DumpVisitor() { });
    }

    @Test
    void notJson_isRejectedWithItsLocation() throws IOException {
        Path file = write("x.json", "config_dump:\n  - clusters\n");
        assertThatThrownBy(() -> read(file)).isInstanceOf(ConfigDumpException.class)
                .hasMessageStartingWith(file + " is not valid JSON at line 1, column");
    }

    @Test
    void truncatedDump_saysWhereItEnds() throws IOException {
        String whole = Files.readString(DUMPS.resolve("istio-sidecar.json"));
        Path file = write("cut.json", whole.substring(0, whole.length() / 2));
        assertThatThrownBy(() -> read(file)).isInstanceOf(ConfigDumpException.class)
                .hasMessageContaining("is truncated: the JSON ends at line");
    }

    @Test
    void jsonThatIsNotADump_isRejected() throws IOException {
        assertThatThrownBy(() -> read(write("a.json", "[1, 2]")))
                .hasMessageContaining("is not an Envoy config dump: it holds a JSON array");
        assertThatThrownBy(() -> read(write("b.json", "{\"clusters\": []}")))
                .hasMessageContaining("has no top-level \"configs\" (its fields: clusters)");
        assertThatThrownBy(() -> read(write("c.json", "")))
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> read(write("d.json", "{\"configs\": {}}")))
                .hasMessageContaining("\"configs\" is a JSON object, not an array");
    }

    @Test
    void ztunnelDump_isNamedAsSuch() throws IOException {
        Path file = write("zt.json", "{\"certificates\": [], \"policies\": [], \"services\": [], \"workloads\": []}");
        assertThatThrownBy(() -> read(file)).hasMessageContaining("this is ztunnel's config dump");
    }

    @Test
    void resourceOfWrongShape_namesTheSectionAndResource() throws IOException {
        Path file = write("bad.json", """
                {"configs": [{"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
                  "dynamic_active_clusters": [{"cluster": {"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
                    "name": "outbound|80||a.b.svc.cluster.local", "connect_timeout": "soon"}}]}]}
                """);
        assertThatThrownBy(() -> read(file)).isInstanceOf(ConfigDumpException.class)
                .hasMessageContaining("configs[0].dynamic_active_clusters: Cluster outbound|80||a.b.svc.cluster.local "
                        + "does not parse");
    }

    @Test
    void unknownConfigTypes_areSkippedAndCounted_configsInAnyOrder() throws IOException {
        Path file = write("order.json", """
                {"configs": [
                  {"@type": "type.googleapis.com/envoy.admin.v3.EcdsConfigDump"},
                  {"@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", "dynamic_listeners": [
                    {"name": "l", "active_state": {"listener": {"@type": "type.googleapis.com/envoy.config.listener.v3.Listener", "name": "l"}}}]},
                  {"@type": "type.googleapis.com/vendor.admin.v1.Mystery", "things": [1, 2]},
                  {"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", "dynamicActiveClusters": [
                    {"cluster": {"@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster", "name": "c", "connectTimeout": "1s"}}]}]}
                """);
        List<String> seen = new ArrayList<>();
        DumpReadResult result = ConfigDumpReader.read(file, new DumpVisitor() {
            @Override
            public void cluster(Cluster cluster, Section section) {
                seen.add("cluster " + cluster.getName() + " " + cluster.getConnectTimeout().getSeconds());
            }

            @Override
            public void listener(Listener listener, Section section) {
                seen.add("listener " + listener.getName());
            }
        });
        assertThat(seen).containsExactly("listener l", "cluster c 1");
        assertThat(result.skippedConfigTypes()).containsOnlyKeys("envoy.admin.v3.EcdsConfigDump",
                "vendor.admin.v1.Mystery");
        assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("skipped 2 config sections"));
    }

    @Test
    void unknownAnyTypes_parseAsOpaque_andPrintBackAsTheDumpHadThem() {
        DumpedConfig.Read read = DumpedConfig.read(DUMPS.resolve("istio-sidecar.json"));
        assertThat(read.result().opaqueAnyTypes()).containsKeys("type.googleapis.com/stats.PluginConfig",
                "type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange");
        Cluster reviews = read.config().clusters().stream()
                .filter(c -> c.getName().equals("outbound|9080||reviews.default.svc.cluster.local")).findFirst()
                .orElseThrow();
        String json = DumpJson.printMessages(List.of(reviews));
        assertThat(json).contains("\"@type\": \"type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange\"")
                .contains("\"protocol\": \"istio-peer-exchange\"")
                .doesNotContain("google.protobuf.Struct");
    }

    @Test
    void warmingResources_areReadButNotListed_staticAfterDynamic() {
        DumpedConfig.Read read = DumpedConfig.read(DUMPS.resolve("istio-sidecar.json"));
        assertThat(read.result().warming()).isEqualTo(2);
        List<String> names = read.config().clusters().stream().map(Cluster::getName).toList();
        assertThat(names).doesNotContain("outbound|9080|v2|reviews.default.svc.cluster.local");
        assertThat(names.subList(names.size() - 4, names.size()))
                .containsExactly("prometheus_stats", "agent", "sds-grpc", "xds-grpc");
        assertThat(read.config().node().orElseThrow().proxyId()).contains("reviews-v2-7d8c9f6b4-q2xkz.default");
        assertThat(read.config().secrets()).isEqualTo(2);
    }

    @Test
    void gatewayNode_isRecognisedByItsType() {
        DumpNode node = DumpedConfig.read(DUMPS.resolve("istio-gateway.json")).config().node().orElseThrow();
        assertThat(node.nodeType()).isEqualTo("router");
        assertThat(node.envoyVersion()).isEqualTo("1.31.5-dev/Clean/RELEASE/BoringSSL");
    }

    @Test
    void nodeWithoutMetadata_fallsBackToIstiosIdForm() {
        DumpNode node = new DumpNode("sidecar~10.0.0.1~web-0.shop~shop.svc.cluster.local", "", "", "", "", "");
        assertThat(node.proxyId()).contains("web-0.shop");
        assertThat(new DumpNode("envoy-1", "", "", "", "", "").proxyId()).isEmpty();
    }
}
