package dev.meshpilot.insight.evidence.prometheus;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.WorkloadKey;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the labels of Istio's standard metrics as a call: who called ({@code source_workload},
 * {@code source_workload_namespace}), what ({@code destination_service}, or for PassthroughCluster and
 * BlackHoleCluster the original destination when a label has it, see the package documentation), how
 * ({@code request_protocol}, or TCP for the TCP counters) and who counted it ({@code reporter}).
 */
final class IstioLabels {

    /** Istio's value for a label it could not fill. */
    static final String UNKNOWN = "unknown";
    static final Set<String> PASSTHROUGH_CLUSTERS = Set.of("PassthroughCluster", "BlackHoleCluster");

    /** {@code host:port}, with the host possibly a bracketed IPv6 address. */
    private static final Pattern HOST_PORT = Pattern.compile("^(\\[[0-9a-fA-F:.]+]|[^:\\[\\]]+):(\\d{1,5})$");

    /** Why a series could not be read as a call; {@code caller} is set when only the destination was missing. */
    record Skipped(String reason, Optional<WorkloadKey> caller) {
    }

    /** The series as a call, or why it is skipped. */
    record Reading(Optional<IstioSeries> call, Optional<Skipped> skipped) {
        static Reading of(IstioSeries call) {
            return new Reading(Optional.of(call), Optional.empty());
        }

        static Reading skip(String reason, Optional<WorkloadKey> caller) {
            return new Reading(Optional.empty(), Optional.of(new Skipped(reason, caller)));
        }
    }

    private IstioLabels() {
    }

    static Reading read(MetricSeries series, boolean tcpMetric) {
        String workload = series.label("source_workload");
        String namespace = series.label("source_workload_namespace");
        if (workload.isBlank() || namespace.isBlank()) {
            return Reading.skip("no source_workload/source_workload_namespace", Optional.empty());
        }
        if (workload.equals(UNKNOWN) || namespace.equals(UNKNOWN)) {
            return Reading.skip("source unknown", Optional.empty());
        }
        WorkloadKey caller = new WorkloadKey(namespace, workload);
        Optional<Destination> destination = destination(series);
        if (destination.isEmpty()) {
            return Reading.skip("no destination_service", Optional.of(caller));
        }
        String reporter = series.label("reporter");
        if (reporter.isBlank()) {
            return Reading.skip("no reporter", Optional.of(caller));
        }
        CallProtocol protocol = tcpMetric ? CallProtocol.TCP
                : series.label("request_protocol").equalsIgnoreCase("grpc") ? CallProtocol.GRPC : CallProtocol.HTTP;
        return Reading.of(new IstioSeries(caller, destination.get(), protocol, reporter, series.samples()));
    }

    private static Optional<Destination> destination(MetricSeries series) {
        String service = series.label("destination_service");
        String serviceName = series.label("destination_service_name");
        if (PASSTHROUGH_CLUSTERS.contains(serviceName)) {
            Optional<Destination> original = parse(service).or(() -> parse(series.label("destination_ip")));
            return original.or(() -> Optional.of(Destination.ofHost(serviceName)));
        }
        return parse(service);
    }

    /** A host or {@code host:port} as Istio writes {@code destination_service}; empty for unknown or blank. */
    static Optional<Destination> parse(String value) {
        String v = value.strip();
        if (v.isEmpty() || v.equals(UNKNOWN)) {
            return Optional.empty();
        }
        Matcher m = HOST_PORT.matcher(v);
        if (m.matches()) {
            int port = Integer.parseInt(m.group(2));
            if (port > 0 && port <= 65_535) {
                String host = m.group(1);
                if (host.startsWith("[")) {
                    host = host.substring(1, host.length() - 1);
                }
                return Optional.of(new Destination(host, port));
            }
        }
        return Optional.of(Destination.ofHost(v));
    }
}
