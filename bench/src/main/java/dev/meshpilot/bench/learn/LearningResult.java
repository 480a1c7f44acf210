package dev.meshpilot.bench.learn;

import dev.meshpilot.bench.run.Percentiles;

import java.util.List;
import java.util.Locale;

/**
 * What one learning run measured. Cluster totals are summed over every simulated proxy's CDS (all clusters, as the
 * footprint's oracle counts them); {@code oracleClusters}/{@code upperBoundClusters} are the footprint analyser's
 * figures for the same registry and edges (the traffic oracle, and no Sidecar).
 */
public record LearningResult(String label, String mode, int proxies, int workloads, int calls, long oracleClusters,
                             long upperBoundClusters, long peakClusters, long coldClusters, long narrowedClusters, long finalClusters,
                             int inScopeCalls, int fallbackCalls, int noPathCalls, int fallbackAfterLearning,
                             int noPathAfterLearning, Percentiles fallbackToAck, int fallbacksAcked,
                             int fallbacksNeverAcked, int workloadsWidened, int proxiesPushedByOwnWidening,
                             int pushesOutside, List<String> outsideExamples,
                             java.util.Map<String, Integer> fallbackVias, int widenPushes,
                             int widenPushedProxies, int widenPushedBeyondWorkload, long learnzUpperBoundClusters,
                             long learnzLearnedClusters, int learnzDistinctScopes, int learnzLearnedEdges,
                             double serverCpuSeconds, double seconds, List<String> failures) {

    public static final String CSV_HEADER = "label,mode,proxies,workloads,calls,oracle_clusters,upper_bound_clusters,"
            + "peak_clusters,cold_clusters,narrowed_clusters,final_clusters,final_vs_oracle,in_scope_calls,fallback_calls,"
            + "no_path_calls,fallback_after,no_path_after,fallback_ack_p50_ms,fallback_ack_p99_ms,fallback_ack_max_ms,"
            + "fallbacks_acked,fallbacks_never_acked,workloads_widened,pushes_outside,widen_pushes,widen_pushed_proxies,"
            + "widen_pushed_beyond_workload,learnz_upper_bound_clusters,"
            + "learnz_learned_clusters,learnz_distinct_scopes,learnz_learned_edges,server_cpu_s,seconds";

    public double finalVsOracle() {
        return oracleClusters == 0 ? Double.NaN : finalClusters / (double) oracleClusters;
    }

    public String csvRow() {
        return String.join(",", label, mode, i(proxies), i(workloads), i(calls), l(oracleClusters),
                l(upperBoundClusters), l(peakClusters), l(coldClusters), l(narrowedClusters), l(finalClusters), f(finalVsOracle(), 3),
                i(inScopeCalls), i(fallbackCalls), i(noPathCalls), i(fallbackAfterLearning), i(noPathAfterLearning),
                f(fallbackToAck.p50Ms(), 1), f(fallbackToAck.p99Ms(), 1), f(fallbackToAck.maxMs(), 1),
                i(fallbacksAcked), i(fallbacksNeverAcked), i(workloadsWidened), i(pushesOutside),
                i(widenPushes), i(widenPushedProxies), i(widenPushedBeyondWorkload),
                l(learnzUpperBoundClusters), l(learnzLearnedClusters), i(learnzDistinctScopes), i(learnzLearnedEdges),
                f(serverCpuSeconds, 1), f(seconds, 1));
    }

    private static String i(int v) {
        return Integer.toString(v);
    }

    private static String l(long v) {
        return Long.toString(v);
    }

    private static String f(double v, int digits) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
