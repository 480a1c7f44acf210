package dev.meshpilot.cli.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.cli.CliRun;
import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.kube.ledger.StateDirectoryLedgerStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
        assertThat(root.at("/totals/proposed/xdsBytes/total").asLong()).isEqualTo(5_212_856); // istio-proxy shapes + auto-mTLS (issue 13); was 1,550,247
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
        assertThat(root.at("/totals/proposed/xdsBytes/total").asLong()).isEqualTo(18_683_115); // istio-proxy shapes + auto-mTLS (issue 13); was 12,364,390
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
    void stateDirWithAnExpiredCall_listsItAsAFallbackCall(@TempDir Path state) throws IOException {
        // the server's ledger: productpage called details yesterday and reviews 40 days ago, its access log
        // kept reporting since, so reviews expired: narrowed away, a call to it goes to the fallback
        WorkloadKey productpage = new WorkloadKey("default", "productpage-v1");
        Instant now = Instant.now();
        new StateDirectoryLedgerStore(state).save(DependencyLedger.ofObservations(List.of(
                        Observation.at(productpage, new Destination("details.default.svc.cluster.local", 9080),
                                CallProtocol.HTTP, EvidenceSource.ACCESS_LOG, "test", now.minus(Duration.ofDays(1)), 3),
                        Observation.at(productpage, new Destination("reviews.default.svc.cluster.local", 9080),
                                CallProtocol.HTTP, EvidenceSource.ACCESS_LOG, "test", now.minus(Duration.ofDays(40)), 3)))
                .reportedBy(List.of(productpage), EvidenceSource.ACCESS_LOG, now));

        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--learned", "--state-dir", state.toString(),
                "-o", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("1 observed calls would go to a fallback",
                "fallback: default/productpage-v1 -> reviews.default.svc.cluster.local:9080");
        JsonNode row = null;
        for (JsonNode w : MAPPER.readTree(run.out()).get("workloads")) {
            if (w.get("name").asText().equals("productpage-v1")) {
                row = w;
            }
        }
        assertThat(row).isNotNull();
        assertThat(row.get("outsideNow")).isEmpty();
        assertThat(row.get("outsideProposed")).hasSize(1);
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
