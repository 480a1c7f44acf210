package dev.meshpilot.insight.learn;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceException;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.WorkloadKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EdgesFileEvidenceTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void eachLine_isOneCallSeenNow_reportedByTheFile() throws IOException {
        Path file = dir.resolve("edges.csv");
        Files.writeString(file, """
                source_workload,source_namespace,destination_host,destination_port,evidence
                frontend,shop,cart.shop.svc.cluster.local,80,code
                frontend,shop,cart.shop.svc.cluster.local,80,again
                worker,shop,10.0.0.9,5432,
                """);

        DependencyLedger ledger = new EdgesFileEvidence(file).read(NOW);

        CallEvidence cart = ledger.page(new WorkloadKey("shop", "frontend")).orElseThrow()
                .call(new Destination("cart.shop.svc.cluster.local", 80)).orElseThrow();
        assertThat(cart.sources()).containsExactly(EvidenceSource.TRAFFIC_FILE);
        assertThat(cart.countsByReporter()).containsExactly(java.util.Map.entry(file.toString(), 1L));
        assertThat(cart.lastSeen()).isEqualTo(NOW);
        assertThat(ledger.page(new WorkloadKey("shop", "worker")).orElseThrow()
                .lastReportedBy(EvidenceSource.TRAFFIC_FILE)).contains(NOW);
        assertThat(ledger.edgeCount()).isEqualTo(2);
    }

    @Test
    void malformedFile_isAnEvidenceExceptionNamingTheLine() throws IOException {
        Path file = dir.resolve("edges.csv");
        Files.writeString(file, "source_workload,source_namespace,destination_host,destination_port\na,b,c,port\n");

        assertThatThrownBy(() -> new EdgesFileEvidence(file).read(NOW)).isInstanceOf(EvidenceException.class)
                .hasMessageContaining("edges.csv:2").hasMessageContaining("destination_port");
    }
}
