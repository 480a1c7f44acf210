package dev.meshpilot.insight.footprint;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Sums over every proxy of the mesh (a workload counts once per replica) and per-proxy medians (over proxies,
 * so a workload with 3 replicas weighs 3).
 */
public record MeshTotals(int workloads, long proxies, long clusters, long endpoints, long listeners,
                         long virtualHosts, XdsBytes bytes, long allocatedBytes, long allocatedLow,
                         long allocatedHigh, long rssLowBytes, long rssHighBytes, long medianClusters,
                         long medianXdsBytes, long medianAllocatedBytes) {

    /** Totals of these footprints, each weighted by its replica count. */
    public static MeshTotals of(List<WorkloadRef> workloads, List<ProxyFootprint> footprints) {
        if (workloads.size() != footprints.size()) {
            throw new IllegalArgumentException(workloads.size() + " workloads but " + footprints.size() + " footprints");
        }
        long proxies = 0;
        long clusters = 0;
        long endpoints = 0;
        long listeners = 0;
        long virtualHosts = 0;
        XdsBytes bytes = XdsBytes.NONE;
        long allocated = 0;
        long low = 0;
        long high = 0;
        long rssLow = 0;
        long rssHigh = 0;
        for (int i = 0; i < workloads.size(); i++) {
            long n = workloads.get(i).replicas();
            ProxyFootprint f = footprints.get(i);
            proxies += n;
            clusters += n * f.counts().clusters();
            endpoints += n * f.counts().endpoints();
            listeners += n * f.counts().listeners();
            virtualHosts += n * f.counts().virtualHosts();
            bytes = bytes.plus(f.bytes().times(n));
            if (f.estimate().isPresent()) {
                allocated += n * f.estimate().get().allocatedBytes();
                low += n * f.estimate().get().allocatedLow();
                high += n * f.estimate().get().allocatedHigh();
                rssLow += n * f.estimate().get().rssLowBytes();
                rssHigh += n * f.estimate().get().rssHighBytes();
            }
        }
        return new MeshTotals(workloads.size(), proxies, clusters, endpoints, listeners, virtualHosts, bytes,
                allocated, low, high, rssLow, rssHigh,
                weightedMedian(workloads, footprints, f -> f.counts().clusters()),
                weightedMedian(workloads, footprints, f -> f.bytes().total()),
                weightedMedian(workloads, footprints, ProxyFootprint::allocatedBytes));
    }

    /** The lower median over proxies (each workload repeated replica times); 0 for no proxies. */
    static long weightedMedian(List<WorkloadRef> workloads, List<ProxyFootprint> footprints,
                               ToLongFunction<ProxyFootprint> value) {
        List<long[]> pairs = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < workloads.size(); i++) {
            long n = workloads.get(i).replicas();
            if (n > 0) {
                pairs.add(new long[] {value.applyAsLong(footprints.get(i)), n});
                total += n;
            }
        }
        if (total == 0) {
            return 0;
        }
        pairs.sort((a, b) -> Long.compare(a[0], b[0]));
        long middle = (total - 1) / 2;
        long seen = 0;
        for (long[] p : pairs) {
            seen += p[1];
            if (seen > middle) {
                return p[0];
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
