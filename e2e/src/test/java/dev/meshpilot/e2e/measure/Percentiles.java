package dev.meshpilot.e2e.measure;

import java.util.List;

/** Nearest-rank percentiles over a sample of durations in nanoseconds. */
record Percentiles(int count, long p50Nanos, long p99Nanos, long maxNanos) {

    static Percentiles of(List<Long> nanos) {
        if (nanos.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Long> sorted = nanos.stream().sorted().toList();
        return new Percentiles(sorted.size(), rank(sorted, 50), rank(sorted, 99), sorted.get(sorted.size() - 1));
    }

    private static long rank(List<Long> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    String describe() {
        return String.format("p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms  (n=%d)",
                p50Nanos / 1e6, p99Nanos / 1e6, maxNanos / 1e6, count);
    }
}
