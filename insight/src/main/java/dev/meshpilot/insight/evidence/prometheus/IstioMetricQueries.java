package dev.meshpilot.insight.evidence.prometheus;

import java.time.Duration;
import java.util.List;

/**
 * The PromQL read from Prometheus: per day, how much each (caller, destination, reporter, protocol) group of
 * Istio's standard counters grew. A range query with a one-day step over these expressions gives one value per
 * day of the window; a positive value is a sighting on that day.
 *
 * <ul>
 *   <li>HTTP and gRPC: {@code istio_requests_total}; {@code request_protocol} says {@code http} or {@code grpc}.</li>
 *   <li>TCP: {@code istio_tcp_connections_closed_total}, which also counts connections the BlackHoleCluster refused
 *       (the opened counter does not). Calls to PassthroughCluster/BlackHoleCluster are also grouped by
 *       {@code destination_ip}, their only possible trace of the original destination (absent unless configured).</li>
 * </ul>
 */
final class IstioMetricQueries {

    static final String REQUESTS = "istio_requests_total";
    static final String TCP_CLOSED = "istio_tcp_connections_closed_total";
    static final Duration DAY = Duration.ofDays(1);

    /** The labels every query groups by. */
    static final List<String> GROUP_LABELS = List.of("source_workload", "source_workload_namespace",
            "destination_service", "destination_service_name", "destination_service_namespace", "reporter",
            "request_protocol");

    static final String PASSTHROUGH_CLUSTERS = "PassthroughCluster|BlackHoleCluster";

    private IstioMetricQueries() {
    }

    /** HTTP and gRPC requests per day. */
    static String requestsPerDay() {
        return dailyIncrease(REQUESTS, "", GROUP_LABELS);
    }

    /** TCP connections closed per day; passthrough and blackhole connections keep their {@code destination_ip}. */
    static String tcpConnectionsPerDay() {
        List<String> withIp = new java.util.ArrayList<>(GROUP_LABELS);
        withIp.add("destination_ip");
        return dailyIncrease(TCP_CLOSED, "{destination_service_name!~\"" + PASSTHROUGH_CLUSTERS + "\"}", GROUP_LABELS)
                + " or "
                + dailyIncrease(TCP_CLOSED, "{destination_service_name=~\"" + PASSTHROUGH_CLUSTERS + "\"}", withIp);
    }

    private static String dailyIncrease(String metric, String selector, List<String> by) {
        return "sum by (" + String.join(", ", by) + ") (increase(" + metric + selector + "[1d]))";
    }
}
