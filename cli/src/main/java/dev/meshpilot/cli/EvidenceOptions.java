package dev.meshpilot.cli;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.EvidenceException;
import dev.meshpilot.core.ledger.EvidenceReader;
import dev.meshpilot.insight.learn.EdgesFileEvidence;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the evidence of calls comes from. Each source is an {@link EvidenceReader}; the ledger is the join of what
 * they all read, so further sources (a Prometheus server, a ledger store) plug in as further readers.
 */
public final class EvidenceOptions {

    @Option(names = "--traffic", paramLabel = "FILE",
            description = "edges.csv of observed calls (source_workload,source_namespace,destination_host,"
                    + "destination_port,evidence): each line a call seen now.")
    Path traffic;

    /** The readers the options name; a user error if none. */
    public List<EvidenceReader> readers(String command) {
        List<EvidenceReader> readers = new ArrayList<>();
        if (traffic != null) {
            if (!Files.isRegularFile(traffic)) {
                throw new UserException(command + ": --traffic " + traffic + " is not a file");
            }
            readers.add(new EdgesFileEvidence(traffic));
        }
        if (readers.isEmpty()) {
            throw new UserException(command + ": say where the evidence of calls is: --traffic FILE");
        }
        return readers;
    }

    /** The join of every reader's ledger as of {@code now}; a reader that fails is a user error (its message locates the problem). */
    public static DependencyLedger read(List<EvidenceReader> readers, Instant now, String command) {
        DependencyLedger ledger = DependencyLedger.empty();
        for (EvidenceReader reader : readers) {
            try {
                ledger = ledger.merge(reader.read(now));
            } catch (EvidenceException e) {
                throw new UserException(command + ": " + e.getMessage());
            }
        }
        return ledger;
    }

    public boolean given() {
        return traffic != null;
    }
}
