package dev.meshpilot.insight.learn;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceException;
import dev.meshpilot.core.ledger.EvidenceReader;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.insight.whatif.TrafficEdge;
import dev.meshpilot.insight.whatif.TrafficEdges;
import dev.meshpilot.insight.whatif.TrafficFileException;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * An edges file ({@code edges.csv}) as evidence: each line is one call seen {@code now}, reported by the file
 * (its path), counted once; and the file reports for every caller it lists, so a destination a caller stops
 * listing can expire once the file has kept saying so long enough. The file says nothing of protocols: calls are
 * recorded as TCP connections, which every call is.
 */
public final class EdgesFileEvidence implements EvidenceReader {

    private final Path file;

    public EdgesFileEvidence(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public DependencyLedger read(Instant now) {
        List<TrafficEdge> edges;
        try {
            edges = TrafficEdges.read(file);
        } catch (TrafficFileException e) {
            throw new EvidenceException(e.getMessage(), e);
        }
        String reporter = file.toString();
        List<Observation> observations = new ArrayList<>();
        TreeSet<WorkloadKey> callers = new TreeSet<>();
        for (TrafficEdge edge : edges) {
            WorkloadKey caller = new WorkloadKey(edge.sourceNamespace(), edge.sourceWorkload());
            callers.add(caller);
            observations.add(Observation.at(caller, new Destination(edge.host(), edge.port()), CallProtocol.TCP,
                    EvidenceSource.TRAFFIC_FILE, reporter, now, 1));
        }
        return DependencyLedger.ofObservations(observations)
                .reportedBy(callers, EvidenceSource.TRAFFIC_FILE, now);
    }

    @Override
    public String describe() {
        return "traffic file " + file;
    }
}
