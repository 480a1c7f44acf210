package dev.meshpilot.insight.evidence.prometheus;

import java.time.LocalDate;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A synthetic Istio counter series: a metric ({@code istio_requests_total}, {@code istio_tcp_connections_closed_total}),
 * its labels, and how many calls it counted on each UTC day (days absent or zero: the series exists but does not
 * grow). Written by {@link OpenMetricsWriter}.
 */
public record IstioCounter(String metric, SortedMap<String, String> labels, SortedMap<LocalDate, Long> callsPerDay) {

    public IstioCounter {
        Objects.requireNonNull(metric, "metric");
        if (!metric.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's samples end in _total: " + metric);
        }
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        callsPerDay = Collections.unmodifiableSortedMap(new TreeMap<>(callsPerDay));
        callsPerDay.values().forEach(c -> {
            if (c < 0) {
                throw new IllegalArgumentException("negative calls in a day: " + c);
            }
        });
    }

    public static IstioCounter of(String metric, Map<String, String> labels, Map<LocalDate, Long> callsPerDay) {
        return new IstioCounter(metric, new TreeMap<>(labels), new TreeMap<>(callsPerDay));
    }

    /** The metric family's name, without {@code _total}. */
    String family() {
        return metric.substring(0, metric.length() - "_total".length());
    }
}
