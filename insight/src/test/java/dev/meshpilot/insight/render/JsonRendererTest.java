package dev.meshpilot.insight.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.footprint.FootprintStudy;
import dev.meshpilot.insight.footprint.ProxyFootprint;
import dev.meshpilot.insight.footprint.ReportSettings;
import dev.meshpilot.insight.footprint.WorkloadRow;
import dev.meshpilot.insight.footprint.XdsBytes;
import dev.meshpilot.insight.model.ConfigCounts;
import dev.meshpilot.insight.model.EnvoyMemoryModel.StatsProfile;
import dev.meshpilot.insight.testing.Examples;
import dev.meshpilot.insight.testing.Reports;
import dev.meshpilot.insight.whatif.TrafficEdge;
import dev.meshpilot.insight.whatif.WhatIfs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON output carries the report's figures under the keys docs/footprint.md documents, and no others. */
class JsonRendererTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(FootprintReport report) throws IOException {
        return MAPPER.readTree(new JsonRenderer().render(report));
    }

    /** A report where every optional part is present: proposal, traffic, calls outside both scopes. */
    private static FootprintReport complete() {
        TrafficEdge crossing = new TrafficEdge("productpage-v1", "bookinfo", "web-svc.emojivoto.svc.cluster.local",
                80, "test", 1);
        TrafficEdge unknownPort = new TrafficEdge("productpage-v1", "bookinfo", "web-svc.emojivoto.svc.cluster.local",
                81, "test", 2);
        return Examples.report("shared-cluster",
                Optional.of(WhatIfs.namespaceScope(Examples.snapshot("shared-cluster"))), List.of(crossing, unknownPort));
    }

    @Test
    void keys_areExactlyTheDocumentedSchema() throws IOException {
        Set<String> paths = new TreeSet<>();
        collect(json(complete()), "", paths);

        assertThat(paths).isEqualTo(documentedPaths());
    }

    @Test
    void schemaId_isTheFirstKey() throws IOException {
        JsonNode root = json(Reports.sharedClusterNow());

        assertThat(root.fieldNames().next()).isEqualTo("schema");
        assertThat(root.get("schema").asText()).isEqualTo(JsonRenderer.SCHEMA);
    }

    @Test
    void figures_equalTheReport() throws IOException {
        FootprintReport report = Reports.sharedClusterOracle();
        JsonNode root = json(report);

        assertThat(root.get("workloads")).hasSize(report.rows().size());
        for (int i = 0; i < report.rows().size(); i++) {
            WorkloadRow row = report.rows().get(i);
            JsonNode w = root.get("workloads").get(i);
            assertThat(w.get("namespace").asText() + "/" + w.get("name").asText()).isEqualTo(row.workload().id());
            assertThat(w.get("replicas").asInt()).isEqualTo(row.workload().replicas());
            assertThat(w.at("/now/clusters").asInt()).isEqualTo(row.now().counts().clusters());
            assertThat(w.at("/now/xdsBytes/total").asLong()).isEqualTo(row.now().bytes().total());
            assertThat(w.at("/now/estimate/allocatedBytes").asLong()).isEqualTo(row.now().allocatedBytes());
            assertThat(w.at("/proposed/clusters").asInt()).isEqualTo(row.proposed().orElseThrow().counts().clusters());
            assertThat(w.at("/proposed/scope").asText()).startsWith("oracle-");
        }
        assertThat(root.at("/totals/now/clusters").asLong()).isEqualTo(report.now().clusters());
        assertThat(root.at("/totals/proposed/allocatedBytes").asLong())
                .isEqualTo(report.proposed().orElseThrow().allocatedBytes());
        assertThat(root.at("/totals/now/perProxyMedian/allocatedBytes").asLong())
                .isEqualTo(report.now().medianAllocatedBytes());
        assertThat(root.get("trafficChecked").asBoolean()).isTrue();
    }

    @Test
    void absentParts_areNullNotMissing() throws IOException {
        JsonNode root = json(Reports.sharedClusterNow());

        assertThat(root.get("proposal").isNull()).isTrue();
        assertThat(root.at("/totals/proposed").isNull()).isTrue();
        assertThat(root.at("/workloads/0/proposed").isNull()).isTrue();
        assertThat(root.at("/workloads/0/outsideNow").isArray()).isTrue();
    }

    @Test
    void proxylessGrpc_hasNullEstimate() throws IOException {
        ConfigCounts counts = new ConfigCounts(1, 0, 1, 1, 0, 0, 1, 1);
        ProxyFootprint grpc = new ProxyFootprint("client-0.ns", "ns", ProxyKind.PROXYLESS_GRPC, "default-sidecar",
                counts, new XdsBytes(10, 20, 30, 40), Optional.empty());
        FootprintReport report = FootprintStudy.live(List.of(grpc),
                new ReportSettings("live", ProxyKind.PROXYLESS_GRPC, 2, StatsProfile.ISTIO_DEFAULT, false));

        JsonNode root = json(report);

        assertThat(root.at("/settings/proxyType").asText()).isEqualTo("grpc");
        assertThat(root.at("/workloads/0/now/estimate").isNull()).isTrue();
        assertThat(root.at("/workloads/0/now/xdsBytes/total").asLong()).isEqualTo(100);
        assertThat(root.at("/workloads/0/kind").asText()).isEqualTo("Proxy");
    }

    private static void collect(JsonNode node, String path, Set<String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String child = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                out.add(sameShapeAsNow(child));
                collect(f.getValue(), child, out);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                collect(element, path + "[]", out);
            }
        }
    }

    /** "proposed" parts have the shape of their "now" counterparts; the schema documents them once. */
    private static String sameShapeAsNow(String path) {
        return path.replace("workloads[].proposed.", "workloads[].now.")
                .replace("totals.proposed.", "totals.now.")
                .replace("workloads[].outsideProposed[].", "workloads[].outsideNow[].");
    }

    /** The first backticked cell of every row of the schema table in docs/footprint.md. */
    private static Set<String> documentedPaths() throws IOException {
        String doc = Files.readString(Examples.repoRoot().resolve("docs/footprint.md"));
        int start = doc.indexOf("<!-- json-schema:start -->");
        int end = doc.indexOf("<!-- json-schema:end -->");
        assertThat(start).as("schema markers in docs/footprint.md").isNotNegative();
        assertThat(end).isGreaterThan(start);
        Set<String> paths = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(doc.substring(start, end));
        while (m.find()) {
            paths.add(m.group(1));
        }
        return paths;
    }
}
