package dev.meshpilot.insight.evidence.prometheus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One series of a range query's matrix: its labels and its samples in time order. */
record MetricSeries(Map<String, String> labels, List<Sample> samples) {

    MetricSeries {
        labels = Map.copyOf(labels);
        samples = List.copyOf(samples);
    }

    /** The label's value, or empty when the series has none. */
    String label(String name) {
        return labels.getOrDefault(name, "");
    }

    /** One evaluation of the query: at {@code at}, the value {@code value}. */
    record Sample(Instant at, double value) {
        Sample {
            Objects.requireNonNull(at, "at");
        }
    }
}
