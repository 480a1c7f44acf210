package dev.meshpilot.cli.recommend;

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
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** recommend's evidence sources besides the edges file: the state directory of serve, and a Prometheus server. */
class RecommendEvidenceSourcesTest {

    private static final String BOOKINFO = CliRun.repoArg("examples/bookinfo");

    @Test
    void stateDir_theLedgerServeStored_isTheEvidence(@TempDir Path state) {
        DependencyLedger ledger = DependencyLedger.ofObservations(List.of(Observation.at(
                new WorkloadKey("default", "productpage-v1"), new Destination("details.default.svc.cluster.local", 9080),
                CallProtocol.HTTP, EvidenceSource.ACCESS_LOG, "access-log meshpilot-0",
                Instant.now().minusSeconds(3600), 12)));
        new StateDirectoryLedgerStore(state).save(ledger);

        CliRun run = CliRun.of("recommend", "--registry", BOOKINFO, "--state-dir", state.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("name: \"meshpilot-productpage-v1\"",
                "- \"default/details.default.svc.cluster.local\"  # learned: access-log; 12 calls");
    }

    @Test
    void stateDir_aCorruptPage_isReportedAndTheRestUsed(@TempDir Path state) throws IOException {
        new StateDirectoryLedgerStore(state).save(DependencyLedger.ofObservations(List.of(Observation.at(
                new WorkloadKey("default", "productpage-v1"), new Destination("details.default.svc.cluster.local", 9080),
                CallProtocol.HTTP, EvidenceSource.ACCESS_LOG, "access-log meshpilot-0", Instant.now(), 1))));
        Path corrupt = state.resolve("ledger/default/reviews-v1.json");
        Files.createDirectories(corrupt.getParent());
        Files.writeString(corrupt, "{\"formatVersion\": 1, \"workload\": ");

        CliRun run = CliRun.of("recommend", "--registry", BOOKINFO, "--state-dir", state.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("warning:", "reviews-v1.json");
        assertThat(run.out()).contains("default/details.default.svc.cluster.local");
    }

    @Test
    void prometheusUnreachable_isOneClearUserError() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        CliRun run = CliRun.of("recommend", "--registry", BOOKINFO, "--prometheus",
                "http://127.0.0.1:" + port);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("prometheus http://127.0.0.1:" + port, "cannot connect")
                .doesNotContain("\tat ");
    }

    @Test
    void noEvidenceSource_isAUserError() {
        CliRun run = CliRun.of("recommend", "--registry", BOOKINFO);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--traffic FILE, --prometheus URL or --state-dir DIR");
    }
}
