package dev.meshpilot.insight.generate;

import java.util.List;

/**
 * One row of a topology's {@code edges.csv}: workload {@code sourceWorkload} in {@code sourceNamespace} calls the
 * Service {@code destinationHost} (an FQDN) on {@code destinationPort}; {@code evidence} says where that was seen.
 */
public record CallEdge(String sourceWorkload, String sourceNamespace, String destinationHost, int destinationPort,
                       String evidence) {

    static final String HEADER = "source_workload,source_namespace,destination_host,destination_port,evidence";

    /** Parses one data row; the evidence column is the rest of the line and may itself hold commas. */
    static CallEdge parse(String line, String location) {
        String[] cells = line.split(",", 5);
        if (cells.length < 4) {
            throw new TopologyException(location + ": expected at least 4 comma-separated columns, found "
                    + cells.length);
        }
        int port;
        try {
            port = Integer.parseInt(cells[3].trim());
        } catch (NumberFormatException e) {
            throw new TopologyException(location + ": destination_port '" + cells[3] + "' is not a number");
        }
        return new CallEdge(cells[0].trim(), cells[1].trim(), cells[2].trim(), port,
                cells.length == 5 ? cells[4] : "");
    }

    /** True for rows that record trace or metric exports rather than request-path calls. */
    public boolean isTelemetry() {
        return evidence.startsWith("telemetry");
    }

    String toCsvRow() {
        return String.join(",", List.of(sourceWorkload, sourceNamespace, destinationHost,
                Integer.toString(destinationPort), evidence));
    }
}
