package dev.meshpilot.cli.recommend;

import dev.meshpilot.cli.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecommendCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SHARED = CliRun.repoArg("examples/shared-cluster");
    private static final String SHARED_EDGES = CliRun.repoArg("examples/shared-cluster/edges.csv");
    private static final String BOOKINFO = CliRun.repoArg("examples/bookinfo");
    private static final String BOOKINFO_EDGES = CliRun.repoArg("examples/bookinfo/edges.csv");
    /** The traffic oracle's clusters on shared-cluster (docs/footprint.md). */
    private static final long ORACLE_CLUSTERS = 1_818;

    @Test
    void sharedCluster_recommendedSidecars_holdWithin5PercentOfTheOracle_andBreakNoCall(@TempDir Path dir)
            throws IOException {
        Path recommended = dir.resolve("RECOMMENDED.yaml");

        CliRun recommend = CliRun.of("recommend", "--registry", SHARED, "--traffic", SHARED_EDGES,
                "--out", recommended.toString());
        CliRun analyze = CliRun.of("analyze", "--registry", SHARED, "--with", recommended.toString(),
                "--traffic", SHARED_EDGES, "-o", "json");

        assertThat(recommend.exitCode()).as(recommend.err()).isZero();
        assertThat(recommend.out()).contains("253 Sidecars", "0 observed calls broken");
        assertThat(analyze.exitCode()).as(analyze.err()).isZero();
        JsonNode report = MAPPER.readTree(analyze.out());
        assertThat(report.at("/totals/proposed/clusters").asLong()).isLessThanOrEqualTo(ORACLE_CLUSTERS * 105 / 100);
        assertThat(report.get("workloads")).hasSize(253)
                .allSatisfy(w -> assertThat(w.get("outsideProposed")).isEmpty());
    }

    @Test
    void yaml_isTheDefault_withEvidenceAfterEachHost() {
        CliRun run = CliRun.of("recommend", "--registry", BOOKINFO, "--traffic", BOOKINFO_EDGES);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("kind: Sidecar", "name: \"meshpilot-productpage-v1\"",
                "- \"default/reviews.default.svc.cluster.local\"  # learned: traffic-file; 1 call; last seen ");
    }

    @Test
    void table_comparesClustersNowAndRecommended() {
        CliRun run = CliRun.of("recommend", "--registry", BOOKINFO, "--traffic", BOOKINFO_EDGES,
                "-o", "table");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("default/productpage-v1", "meshpilot-productpage-v1", "mesh: ",
                "no observed call would break");
    }

    @Test
    void json_holdsManifestsVerdictsAndTotals() throws IOException {
        CliRun run = CliRun.of("recommend", "--registry", BOOKINFO, "--traffic", BOOKINFO_EDGES,
                "-o", "json", "--granularity", "namespace");

        JsonNode root = MAPPER.readTree(run.out());
        assertThat(root.get("schema").asText()).isEqualTo("meshpilot.dev/recommendation/v1");
        assertThat(root.get("sidecars")).singleElement()
                .satisfies(s -> assertThat(s.at("/metadata/name").asText()).isEqualTo("meshpilot-learned"));
        assertThat(root.at("/totals/clustersRecommended").asLong()).isLessThan(root.at("/totals/clustersNow").asLong());
        assertThat(root.get("brokenCalls")).isEmpty();
        assertThat(root.get("workloads")).anySatisfy(w -> assertThat(w.get("verdicts"))
                .anySatisfy(v -> assertThat(v.get("reason").asText()).isEqualTo("LEARNED")));
    }

    @ParameterizedTest
    @CsvSource({"30d, PT720H", "12h, PT12H", "90m, PT1H30M", "45s, PT45S"})
    void durations_takeOneUnit(String text, Duration expected) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "0d", "3w", "1d2h", "-5d", ""})
    void malformedDuration_isRejected(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text))
                .hasMessageContaining("is not a duration");
    }

    @Test
    void malformedForgetAfter_isAUserError() {
        CliRun run = CliRun.of("recommend", "--registry", BOOKINFO, "--traffic", BOOKINFO_EDGES,
                "--forget-after", "3w");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--forget-after", "'3w' is not a duration").doesNotContain("\tat ");
    }

    @Test
    void noEvidence_isAUserError() {
        CliRun run = CliRun.of("recommend", "--registry", BOOKINFO);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("recommend: say where the evidence of calls is: --traffic FILE");
    }

    @Test
    void unknownGranularity_isAUserError() {
        CliRun run = CliRun.of("recommend", "--registry", BOOKINFO, "--traffic", BOOKINFO_EDGES,
                "--granularity", "pod");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--granularity must be workload or namespace, got 'pod'");
    }

    @Test
    void malformedTrafficFile_isAUserErrorNamingTheLine(@TempDir Path dir) throws IOException {
        Path edges = dir.resolve("edges.csv");
        Files.writeString(edges, "source_workload,source_namespace,destination_host,destination_port\na,b,c,x\n");

        CliRun run = CliRun.of("recommend", "--registry", BOOKINFO, "--traffic", edges.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("recommend: " + edges + ":2: field destination_port is not a number")
                .doesNotContain("\tat ");
    }
}
