package dev.meshpilot.insight.model;

import java.util.Locale;

/**
 * An estimate of one Envoy's memory: bytes allocated (with the model's uncertainty band) and the resident set
 * that allocation is likely to need (RSS is allocation times a heap-size dependent factor).
 *
 * @param allocatedBytes  the point estimate of heap bytes allocated
 * @param allocatedLow    lower end of the uncertainty band
 * @param allocatedHigh   upper end of the uncertainty band
 * @param rssLowBytes     point estimate times the lowest RSS/allocated factor for this heap size
 * @param rssHighBytes    point estimate times the highest RSS/allocated factor for this heap size
 * @param uncertainty     which band applies (cluster-heavy configs are better calibrated)
 * @param breakdown       bytes per term of the model
 */
public record MemoryEstimate(long allocatedBytes, long allocatedLow, long allocatedHigh, long rssLowBytes,
                             long rssHighBytes, Uncertainty uncertainty, Breakdown breakdown) {

    /** The published uncertainty of the model (memory-model.md, "Model"). */
    public enum Uncertainty {
        /** Clusters and endpoints dominate: the measured per-cluster terms apply, ±30 %. */
        CLUSTER_HEAVY("±30%", 0.7, 1.3),
        /** Listeners and routes dominate: their coefficients are old or inferred, a factor of 2 either way. */
        LISTENER_ROUTE_HEAVY("×/÷2", 0.5, 2.0);

        private final String label;
        private final double lowFactor;
        private final double highFactor;

        Uncertainty(String label, double lowFactor, double highFactor) {
            this.label = label;
            this.lowFactor = lowFactor;
            this.highFactor = highFactor;
        }

        /** How the band is printed: {@code ±30%} or {@code ×/÷2}. */
        public String label() {
            return label;
        }

        public double lowFactor() {
            return lowFactor;
        }

        public double highFactor() {
            return highFactor;
        }
    }

    /** Bytes charged per model term; they sum to {@link MemoryEstimate#allocatedBytes()}. */
    public record Breakdown(long base, long clusters, long endpoints, long listeners, long routes) {
        public long total() {
            return base + clusters + endpoints + listeners + routes;
        }
    }

    /** e.g. {@code 50.3 MB ±30% (RSS 100-136 MB)}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s %s (RSS %s-%s)", megabytes(allocatedBytes), uncertainty.label(),
                megabytesNumber(rssLowBytes), megabytes(rssHighBytes));
    }

    /** Decimal megabytes with one decimal, as the published cases are quoted: {@code 50.3 MB}. */
    public static String megabytes(long bytes) {
        return megabytesNumber(bytes) + " MB";
    }

    static String megabytesNumber(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1_000_000.0);
    }
}
