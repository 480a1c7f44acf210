package dev.meshpilot.insight.whatif;

import java.util.Objects;

/**
 * One observed or declared call: a workload ({@code source_workload}, {@code source_namespace}) calling a service
 * host on a port, with the evidence for it. The format of {@code topologies/*}{@code /edges.csv}.
 *
 * @param line the 1-based line of the file it was read from (0 when not read from a file)
 */
public record TrafficEdge(String sourceWorkload, String sourceNamespace, String host, int port, String evidence,
                          int line) {

    public TrafficEdge {
        Objects.requireNonNull(sourceWorkload, "sourceWorkload");
        Objects.requireNonNull(sourceNamespace, "sourceNamespace");
        Objects.requireNonNull(host, "host");
        evidence = evidence == null ? "" : evidence;
    }

    /** {@code host:port}. */
    public String target() {
        return host + ":" + port;
    }
}
