package dev.meshpilot.cli.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code analyze --learned}: now (upper bound) vs what {@code serve --scoping learned} would serve. */
class AnalyzeLearnedTest {

    private static final String SHARED = CliRun.repoArg("examples/shared-cluster");
    private static final String SHARED_EDGES = CliRun.repoArg("examples/shared-cluster/edges.csv");
    private static final String BOOKINFO = CliRun.repoArg("examples/bookinfo");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void sharedClusterLearnedFromItsEdges_json_nearTheOracleWithDistinctScopesAndNoFallbackCall() throws IOException {
        CliRun run = CliRun.of("analyze", "--registry", SHARED, "--learned", "--traffic", SHARED_EDGES, "-o", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode root = MAPPER.readTree(run.out());
        assertThat(root.get("proposal").asText()).startsWith("learned (serve --scoping learned)");
        assertThat(root.at("/totals/now/clusters").asLong()).isEqualTo(76_188);
        assertThat(root.at("/totals/proposed/clusters").asLong()).isEqualTo(1_818);
        assertThat(root.at("/totals/proposed/xdsBytes/total").asLong()).isEqualTo(1_550_247);
        assertThat(root.get("trafficChecked").asBoolean()).isTrue();
        root.get("workloads").forEach(w -> assertThat(w.get("outsideProposed")).isEmpty());
        assertThat(run.err()).contains("141 distinct learned scopes, 253 workloads narrowed, "
                + "0 observed calls would go to a fallback");
    }

    @Test
    void registryOnlyVariant_countsTheFallbackChains() throws IOException {
        CliRun run = CliRun.of("analyze", "--registry", SHARED, "--learned", "--traffic", SHARED_EDGES,
                "--outbound-policy", "REGISTRY_ONLY", "-o", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode root = MAPPER.readTree(run.out());
        assertThat(root.at("/totals/proposed/clusters").asLong()).isEqualTo(1_818);
        assertThat(root.at("/totals/proposed/xdsBytes/total").asLong()).isEqualTo(12_364_390);
    }

    @Test
    void workloadSeenCallingOneService_isNarrowedToIt_inTheTable(@TempDir Path dir) throws IOException {
        Path edges = dir.resolve("edges.csv");
        Files.writeString(edges, "source_workload,source_namespace,destination_host,destination_port,evidence\n"
                + "productpage-v1,default,details.default.svc.cluster.local,9080,test\n");
        Path table = dir.resolve("out.txt");

        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--learned", "--traffic", edges.toString(),
                "--out", table.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("0 observed calls would go to a fallback");
        String productpage = Files.readString(table).lines().filter(l -> l.startsWith("default/productpage-v1"))
                .findFirst().orElseThrow();
        assertThat(Files.readString(table)).contains("Proposal: learned (serve --scoping learned)");
        assertThat(productpage.replaceAll("\\s+", " ")).contains(" → 1 "); // one cluster: details
    }

    @Test
    void learnedWithoutEvidence_isAUserError() {
        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--learned");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("say where the evidence of calls is");
    }

    @Test
    void prometheusWithoutLearned_isAUserError() {
        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--prometheus", "http://127.0.0.1:1");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--prometheus and --state-dir are evidence for --learned");
    }

    @Test
    void htmlReport_ofLearned_isSelfContained(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("learned.html");
        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--learned", "--traffic",
                CliRun.repoArg("examples/bookinfo/edges.csv"), "-o", "html", "--out", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>").contains("learned (serve --scoping learned)")
                .doesNotContain("<script");
    }
}
