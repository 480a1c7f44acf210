package dev.meshpilot.insight.model;

/**
 * Estimates an Envoy's memory from the configuration it holds, with coefficients Envoy and Istio published
 * (see {@code memory-model.md} in the shared design notes; every constant below names its source).
 *
 * <pre>
 * allocated = base
 *           + clusters  * (perCluster(stats) + (workers - 1) * perWorkerPerCluster)
 *           + tlsClusters * tlsContext
 *           + endpoints * perEndpoint
 *           + httpListeners * httpListener + tcpListeners * tcpListener + extraFilterChains * perFilterChain
 *           + virtualHosts * perVirtualHost
 * rss       = allocated * k,  k in [kLow, kHigh] depending on heap size
 * </pre>
 *
 * The band is ±30 % when clusters and endpoints make up most of the configuration-dependent bytes and a factor
 * of two otherwise (listener and route coefficients are old or inferred). No Envoy binary ran to produce these
 * numbers: they are an estimate, and every rendering prints the band with them.
 */
public final class EnvoyMemoryModel {

    /**
     * Process base with Istio's bootstrap: 12-25 MB reported in istio/istio#26894; the low end, because the
     * published "&lt; 15 MB after scoping to ~5 services" (istio/istio#18954) leaves no room for more.
     */
    static final long BASE_BYTES = 12_000_000;

    /**
     * Per cluster, one worker, Envoy's default stats: the 42,000 B budget of
     * envoyproxy/envoy {@code test/integration/stats_integration_test.cc} {@code MemoryLargeClusterSize}
     * (observed 36-46 KB 2019-2022; 100k clusters took 45.6 KB each in envoyproxy/envoy PR #23921).
     */
    static final long CLUSTER_BYTES_ENVOY_STATS = 42_000;

    /**
     * Per cluster under Istio's default stats inclusion list, which drops most per-cluster stats: ~20-25 KB
     * (inferred in memory-model.md, ±2×).
     */
    static final long CLUSTER_BYTES_ISTIO_STATS = 22_000;

    /** Per extra worker thread, per cluster: ~1.85-2 KB (envoyproxy/envoy#4196, istio/istio#8938). */
    static final long PER_WORKER_PER_CLUSTER_BYTES = 1_900;

    /**
     * Per cluster with an upstream TLS context. memory-model.md infers 20-60 KB (±2×); envoyproxy/envoy#18376
     * (2,500 TLS clusters on 32 workers, 256.5 MB) leaves room for at most ~10 KB on top of the measured
     * per-cluster terms, so the calibrated value is the inferred range's lower end halved.
     */
    static final long TLS_CONTEXT_BYTES = 10_000;

    /** Per upstream host: 1,380 B observed (budget 3,000 B), stats_integration_test.cc {@code MemoryLargeHostSizeWithStats}. */
    static final long PER_ENDPOINT_BYTES = 1_380;

    /** A TCP proxy listener: ~18 KB (envoyproxy/envoy#4196, 2018). */
    static final long TCP_LISTENER_BYTES = 18_000;

    /** An HTTP listener with one route: ~63 KB (envoyproxy/envoy#4196, 2018). */
    static final long HTTP_LISTENER_BYTES = 63_000;

    /**
     * Per filter chain beyond a listener's first: inferred from Istio-shaped listeners with many filter chains
     * at ~100-150 KB (memory-model.md, ±2×), i.e. roughly (125 - 63) KB over ~10 chains.
     */
    static final long PER_EXTRA_FILTER_CHAIN_BYTES = 6_000;

    /** A simple virtual host with its routes: ~2-10 KB (inferred in memory-model.md, ±2×); the middle. */
    static final long PER_VIRTUAL_HOST_BYTES = 5_000;

    /** RSS ÷ allocated for small heaps: 2-2.7 (istio/istio issues on sidecar RSS). */
    static final double RSS_FACTOR_SMALL_LOW = 2.0;
    static final double RSS_FACTOR_SMALL_HIGH = 2.7;
    /** RSS ÷ allocated for huge heaps: 1.15 (istio/istio issues on sidecar RSS); high end our allowance. */
    static final double RSS_FACTOR_HUGE_LOW = 1.15;
    static final double RSS_FACTOR_HUGE_HIGH = 1.3;
    /** Heaps below this count as small; at or above {@link #HUGE_HEAP_BYTES} as huge; between, [1.15, 2.0]. */
    static final long SMALL_HEAP_BYTES = 100_000_000;
    static final long HUGE_HEAP_BYTES = 1_000_000_000;

    /** Which stats Envoy keeps per cluster. */
    public enum StatsProfile {
        /** Envoy's defaults: every per-cluster stat (the budget Envoy's CI enforces). */
        ENVOY_DEFAULT,
        /** Istio's default inclusion list, which keeps few per-cluster stats. */
        ISTIO_DEFAULT
    }

    private final int workers;
    private final StatsProfile stats;

    /**
     * @param workers Envoy worker threads ({@code --concurrency}); at least 1
     */
    public EnvoyMemoryModel(int workers, StatsProfile stats) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        this.workers = workers;
        this.stats = java.util.Objects.requireNonNull(stats, "stats");
    }

    /** An Istio sidecar with Istio's stats defaults and this many workers. */
    public static EnvoyMemoryModel istioSidecar(int workers) {
        return new EnvoyMemoryModel(workers, StatsProfile.ISTIO_DEFAULT);
    }

    public int workers() {
        return workers;
    }

    public StatsProfile stats() {
        return stats;
    }

    public MemoryEstimate estimate(ConfigCounts counts) {
        long perCluster = (stats == StatsProfile.ENVOY_DEFAULT ? CLUSTER_BYTES_ENVOY_STATS : CLUSTER_BYTES_ISTIO_STATS)
                + (long) (workers - 1) * PER_WORKER_PER_CLUSTER_BYTES;
        long clusterBytes = counts.clusters() * perCluster + counts.tlsClusters() * TLS_CONTEXT_BYTES;
        long endpointBytes = counts.endpoints() * PER_ENDPOINT_BYTES;
        long listenerBytes = counts.httpListeners() * HTTP_LISTENER_BYTES + counts.tcpListeners() * TCP_LISTENER_BYTES
                + counts.extraFilterChains() * PER_EXTRA_FILTER_CHAIN_BYTES;
        long routeBytes = counts.virtualHosts() * PER_VIRTUAL_HOST_BYTES;
        MemoryEstimate.Breakdown breakdown = new MemoryEstimate.Breakdown(BASE_BYTES, clusterBytes, endpointBytes,
                listenerBytes, routeBytes);
        long allocated = breakdown.total();

        MemoryEstimate.Uncertainty band = clusterBytes + endpointBytes >= listenerBytes + routeBytes
                ? MemoryEstimate.Uncertainty.CLUSTER_HEAVY
                : MemoryEstimate.Uncertainty.LISTENER_ROUTE_HEAVY;
        double[] rss = rssFactors(allocated);
        return new MemoryEstimate(allocated, Math.round(allocated * band.lowFactor()),
                Math.round(allocated * band.highFactor()), Math.round(allocated * rss[0]),
                Math.round(allocated * rss[1]), band, breakdown);
    }

    /** [low, high] RSS ÷ allocated for a heap of this size. */
    static double[] rssFactors(long allocated) {
        if (allocated < SMALL_HEAP_BYTES) {
            return new double[] {RSS_FACTOR_SMALL_LOW, RSS_FACTOR_SMALL_HIGH};
        }
        if (allocated >= HUGE_HEAP_BYTES) {
            return new double[] {RSS_FACTOR_HUGE_LOW, RSS_FACTOR_HUGE_HIGH};
        }
        return new double[] {RSS_FACTOR_HUGE_LOW, RSS_FACTOR_SMALL_LOW};
    }

    @Override
    public String toString() {
        return "EnvoyMemoryModel[workers=" + workers + ", stats=" + stats + "]";
    }
}
