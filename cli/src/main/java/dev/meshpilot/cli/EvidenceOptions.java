package dev.meshpilot.cli;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.EvidenceException;
import dev.meshpilot.core.ledger.EvidenceReader;
import dev.meshpilot.insight.evidence.prometheus.PrometheusEvidence;
import dev.meshpilot.insight.learn.EdgesFileEvidence;
import dev.meshpilot.insight.learn.StoredLedgerEvidence;
import dev.meshpilot.kube.ledger.StateDirectoryLedgerStore;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the evidence of calls comes from: an edges file, a Prometheus server with Istio's standard metrics, or the
 * ledger {@code meshpilot serve} stored in a state directory. Each source is an {@link EvidenceReader}; the ledger is
 * the join of what they all read, so sources combine.
 */
public final class EvidenceOptions {

    @Option(names = "--traffic", paramLabel = "FILE",
            description = "edges.csv of observed calls (source_workload,source_namespace,destination_host,"
                    + "destination_port,evidence): each line a call seen now.")
    Path traffic;

    @Option(names = "--prometheus", paramLabel = "URL",
            description = "A Prometheus server holding Istio's standard metrics (istio_requests_total, "
                    + "istio_tcp_connections_closed_total), read over the recent window.")
    String prometheus;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "The state directory of meshpilot serve: the dependency ledger it learned.")
    Path stateDir;

    /** The readers the options name, reading Prometheus over {@code window}; a user error if none. */
    public List<EvidenceReader> readers(String command, Duration window, Consumer<String> warnings) {
        List<EvidenceReader> readers = new ArrayList<>();
        if (traffic != null) {
            if (!Files.isRegularFile(traffic)) {
                throw new UserException(command + ": --traffic " + traffic + " is not a file");
            }
            readers.add(new EdgesFileEvidence(traffic));
        }
        if (prometheus != null) {
            readers.add(prometheus(command, window));
        }
        if (stateDir != null) {
            if (!Files.isDirectory(stateDir)) {
                throw new UserException(command + ": --state-dir " + stateDir + " is not a directory");
            }
            readers.add(new StoredLedgerEvidence(new StateDirectoryLedgerStore(stateDir),
                    problem -> warnings.accept("warning: " + problem)));
        }
        return readers;
    }

    /** As {@link #readers(String, Duration, Consumer)}, requiring at least one source. */
    public List<EvidenceReader> requiredReaders(String command, Duration window, Consumer<String> warnings) {
        List<EvidenceReader> readers = readers(command, window, warnings);
        if (readers.isEmpty()) {
            throw new UserException(command + ": say where the evidence of calls is: --traffic FILE, "
                    + "--prometheus URL or --state-dir DIR");
        }
        return readers;
    }

    /** The readers with Prometheus's default window and warnings on standard error; a user error if none. */
    public List<EvidenceReader> readers(String command) {
        return requiredReaders(command, PrometheusEvidence.DEFAULT_WINDOW, System.err::println);
    }

    private PrometheusEvidence prometheus(String command, Duration window) {
        URI uri;
        try {
            uri = new URI(prometheus);
        } catch (URISyntaxException e) {
            throw new UserException(command + ": --prometheus '" + prometheus + "' is not a URL: " + e.getReason());
        }
        try {
            return PrometheusEvidence.of(uri, window);
        } catch (IllegalArgumentException e) {
            throw new UserException(command + ": --prometheus " + prometheus + ": " + e.getMessage());
        }
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

    /** The edges file {@code --traffic} names, if any. */
    public java.util.Optional<Path> trafficFile() {
        return java.util.Optional.ofNullable(traffic);
    }

    /** True when a source other than an edges file is named ({@code --prometheus}, {@code --state-dir}). */
    public boolean otherThanTrafficGiven() {
        return prometheus != null || stateDir != null;
    }

    public boolean given() {
        return traffic != null || prometheus != null || stateDir != null;
    }
}
