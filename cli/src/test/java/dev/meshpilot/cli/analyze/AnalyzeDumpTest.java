package dev.meshpilot.cli.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.cli.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code analyze --dump}: shared-cluster proxies dumped by {@code proxy-config all -o json} (no Sidecar) measure
 * exactly as {@code analyze --registry} measures them, and their learned scope is the one {@code --learned}
 * computes for the same workloads.
 */
class AnalyzeDumpTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SHARED = CliRun.repoArg("examples/shared-cluster");
    private static final String EDGES = CliRun.repoArg("examples/shared-cluster/edges.csv");
    private static final String GATEWAY = CliRun.repoArg("xds/src/test/resources/dumps/istio-gateway.json");
    private static final String ISTIO_SIDECAR = CliRun.repoArg("xds/src/test/resources/dumps/istio-sidecar.json");

    @TempDir
    static Path dumps;
    private static final List<String> pods = new ArrayList<>();

    @BeforeAll
    static void dumpAHandfulOfProxies() throws Exception {
        JsonNode registry = json(CliRun.of("analyze", "--registry", SHARED, "-o", "json"));
        JsonNode rows = registry.get("workloads");
        for (int i : new int[] {0, 60, 120, 180}) {
            String pod = rows.get(i).get("proxy").asText();
            pods.add(pod);
            CliRun all = CliRun.of("proxy-config", "all", pod, "--registry", SHARED, "-o", "json");
            assertThat(all.exitCode()).as(all.err()).isZero();
            Files.writeString(dumps.resolve(pod + ".json"), all.out());
        }
    }

    private static JsonNode json(CliRun run) throws Exception {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return MAPPER.readTree(run.out());
    }

    private static Map<String, JsonNode> byProxy(JsonNode report) {
        Map<String, JsonNode> rows = new HashMap<>();
        report.get("workloads").forEach(w -> rows.put(w.get("proxy").asText(), w));
        return rows;
    }

    @Test
    void dumpsOfMeshpilotProxies_measureAsTheRegistryAnalysisDoes() throws Exception {
        Map<String, JsonNode> fromRegistry = byProxy(json(CliRun.of("analyze", "--registry", SHARED, "-o", "json")));
        JsonNode fromDumps = json(CliRun.of("analyze", "--dump", dumps.toString(), "-o", "json"));
        assertThat(fromDumps.get("workloads")).hasSize(pods.size());
        for (JsonNode row : fromDumps.get("workloads")) {
            String pod = row.get("proxy").asText();
            JsonNode expected = fromRegistry.get(pod).get("now");
            JsonNode actual = row.get("now");
            for (String field : List.of("clusters", "endpoints", "listeners", "httpListeners", "tcpListeners",
                    "extraFilterChains", "virtualHosts", "routes")) {
                assertThat(actual.get(field)).as(pod + " " + field).isEqualTo(expected.get(field));
            }
            assertThat(actual.get("xdsBytes")).as(pod + " bytes").isEqualTo(expected.get("xdsBytes"));
            assertThat(actual.get("estimate")).as(pod + " estimate").isEqualTo(expected.get("estimate"));
        }
    }

    @Test
    void learnedScope_ofDumpedProxies_isTheRegistrysLearnedScope_andTheSavingIsSaid() throws Exception {
        Map<String, JsonNode> learned = byProxy(json(CliRun.of("analyze", "--registry", SHARED, "--learned",
                "--traffic", EDGES, "-o", "json")));
        CliRun run = CliRun.of("analyze", "--dump", dumps.toString(), "--registry", SHARED, "--learned",
                "--traffic", EDGES, "-o", "json");
        JsonNode report = json(run);
        for (JsonNode row : report.get("workloads")) {
            String pod = row.get("proxy").asText();
            JsonNode proposed = row.get("proposed");
            assertThat(proposed.get("clusters")).isEqualTo(learned.get(pod).get("proposed").get("clusters"));
            assertThat(proposed.get("estimate").get("allocatedBytes"))
                    .isEqualTo(learned.get(pod).get("proposed").get("estimate").get("allocatedBytes"));
            assertThat(proposed.get("clusters").asInt()).isLessThan(row.get("now").get("clusters").asInt());
        }
        List<String> notes = new ArrayList<>();
        report.get("notes").forEach(n -> notes.add(n.asText()));
        for (String pod : pods) {
            assertThat(notes).anySatisfy(n -> assertThat(n).startsWith(pod + " holds ").contains(" clusters, ~")
                    .contains("; learned scope: "));
        }
    }

    @Test
    void tableAndHtml_showOneRowPerDump() {
        CliRun table = CliRun.of("analyze", "--dump", dumps.toString(), "--registry", SHARED, "--scope", "namespace");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains(pods.get(0).replace('.', '/').substring(0, 10)).contains("namespace scope: ");
        CliRun html = CliRun.of("analyze", "--dump", dumps.resolve(pods.get(1) + ".json").toString(), "-o", "html");
        assertThat(html.exitCode()).as(html.err()).isZero();
        assertThat(html.out()).contains("<html").contains(pods.get(1).substring(0, pods.get(1).indexOf('.')));
    }

    @Test
    void istioSidecarDump_isMeasuredFromItsXdsResources_bootstrapLeftToTheBase() throws Exception {
        JsonNode report = json(CliRun.of("analyze", "--dump", ISTIO_SIDECAR, "-o", "json"));
        JsonNode row = report.get("workloads").get(0);
        assertThat(row.get("proxy").asText()).isEqualTo("reviews-v2-7d8c9f6b4-q2xkz.default");
        assertThat(row.get("now").get("clusters").asInt()).isEqualTo(12); // dynamic active only
        assertThat(row.get("now").get("tlsClusters").asInt()).isEqualTo(7); // transport_socket_matches
        assertThat(row.get("now").get("listeners").asInt()).isEqualTo(4);
    }

    @Test
    void badDumps_areClearAndExitTwo() throws Exception {
        Path noBootstrap = dumps.resolveSibling(dumps.getFileName() + "-nobootstrap.json");
        String withBootstrap = Files.readString(dumps.resolve(pods.get(0) + ".json"));
        Files.writeString(noBootstrap, withBootstrap.replaceFirst("\"bootstrap\"", "\"unused\""));
        CliRun gateway = CliRun.of("analyze", "--dump", GATEWAY);
        assertThat(gateway.exitCode()).isEqualTo(2);
        assertThat(gateway.err()).contains("is a gateway's dump").hasLineCount(1);
        CliRun anonymous = CliRun.of("analyze", "--dump", noBootstrap.toString());
        assertThat(anonymous.exitCode()).isEqualTo(2);
        assertThat(anonymous.err()).contains("does not say which pod").contains("--proxy POD.NAMESPACE");
        CliRun named = CliRun.of("analyze", "--dump", noBootstrap.toString(), "--proxy", "x-0.team", "-o", "json");
        assertThat(json(named).get("workloads").get(0).get("proxy").asText()).isEqualTo("x-0.team");
        CliRun noMesh = CliRun.of("analyze", "--dump", noBootstrap.toString(), "--traffic", EDGES);
        assertThat(noMesh.exitCode()).isEqualTo(2);
        assertThat(noMesh.err()).contains("need the mesh: add --registry DIR");
        CliRun nothing = CliRun.of("analyze");
        assertThat(nothing.exitCode()).isEqualTo(2);
        assertThat(nothing.err()).contains("--registry DIR").contains("--dump FILE|DIR");
    }

    @Test
    void gatewayInADirectory_isSkippedWithANote() throws Exception {
        Path mesh = dumps.resolveSibling(dumps.getFileName() + "-mixed");
        Files.createDirectories(mesh);
        Files.copy(Path.of(GATEWAY), mesh.resolve("gw.json"));
        Files.copy(Path.of(ISTIO_SIDECAR), mesh.resolve("reviews.json"));
        JsonNode report = json(CliRun.of("analyze", "--dump", mesh.toString(), "-o", "json"));
        assertThat(report.get("workloads")).hasSize(1);
        assertThat(report.get("notes").toString()).contains("skipped").contains("gateway");
    }
}
