package dev.meshpilot.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The server's metrics, under Istio's names where the meaning matches (R63 of the scoping spec) and
 * {@code meshpilot_*} for the rest. Type labels are lower-case short names ({@code cds}, {@code eds}, ...).
 */
public final class ServerMetrics {
    private static final double[] CONFIG_SIZE_BUCKETS = {1, 1e4, 1e6, 4e6, 1e7, 4e7};
    private static final double[] CONVERGENCE_BUCKETS = {.1, .5, 1, 3, 5, 10, 20, 30};
    private static final double[] DEBOUNCE_BUCKETS = {.01, .1, .5, 1, 3, 5, 10, 20, 30};

    /** Distinct {@code pilot_xds} version labels at most. */
    static final int MAX_VERSIONS = 32;
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("[0-9A-Za-z._+-]{1,64}");

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> connectedByVersion = new ConcurrentHashMap<>();

    public ServerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A proxy of this Istio version (empty when unknown) connected (+1) or went away (-1): {@code pilot_xds}. */
    public void connected(String istioVersion, int delta) {
        String version = versionLabel(istioVersion);
        connectedByVersion.computeIfAbsent(version, v -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("pilot_xds", count, AtomicInteger::get).tag("version", v)
                    .description("Number of endpoints connected to this pilot using XDS.").register(registry);
            return count;
        }).addAndGet(delta);
    }

    /**
     * The version label: what the client declared when it looks like a version, else {@code other}; at most
     * {@link #MAX_VERSIONS} distinct labels (the rest are {@code other}), so clients cannot create series without
     * bound. A version once labelled keeps its label (labels are never removed), so +1 and -1 always match.
     */
    private String versionLabel(String istioVersion) {
        if (istioVersion == null || istioVersion.isEmpty()) {
            return "unknown";
        }
        if (connectedByVersion.containsKey(istioVersion)) {
            return istioVersion;
        }
        if (!VERSION.matcher(istioVersion).matches() || connectedByVersion.size() >= MAX_VERSIONS) {
            return "other";
        }
        return istioVersion;
    }

    /** One response of this type went out: {@code pilot_xds_pushes{type}} and {@code pilot_xds_config_size_bytes}. */
    public void sent(String shortType, long bytes) {
        String type = label(shortType);
        Counter.builder("pilot_xds_pushes").tag("type", type)
                .description("Pilot build and send errors for lds, rds, cds and eds.").register(registry).increment();
        DistributionSummary.builder("pilot_xds_config_size_bytes").tag("type", type).baseUnit("bytes")
                .serviceLevelObjectives(CONFIG_SIZE_BUCKETS)
                .description("Distribution of configuration sizes pushed to clients").register(registry)
                .record(bytes);
    }

    /** Sending a response failed: {@code pilot_xds_pushes{type="cds_senderr"}}. */
    public void sendError(String shortType) {
        Counter.builder("pilot_xds_pushes").tag("type", label(shortType) + "_senderr").register(registry).increment();
    }

    /** The client rejected a response: {@code pilot_total_xds_rejects{type}}. */
    public void rejected(String shortType) {
        Counter.builder("pilot_total_xds_rejects").tag("type", label(shortType))
                .description("Total number of XDS responses from pilot rejected by proxy.").register(registry)
                .increment();
    }

    /** From enqueue of a push until all of a proxy's types were sent: {@code pilot_proxy_convergence_time}. */
    public void converged(long nanos) {
        seconds("pilot_proxy_convergence_time", CONVERGENCE_BUCKETS,
                "Delay in seconds between config change and a proxy receiving all required configuration.", nanos);
    }

    /** From the first event of a batch until it was handed to the planner: {@code pilot_debounce_time}. */
    public void debounced(long nanos) {
        seconds("pilot_debounce_time", DEBOUNCE_BUCKETS, "Delay in seconds between the first config enters "
                + "debouncing and the merged push request is pushed into the push queue.", nanos);
    }

    /** A change of this reason entered the pipeline: {@code pilot_push_triggers{type}}. */
    public void trigger(String reason) {
        Counter.builder("pilot_push_triggers").tag("type", reason)
                .description("Total number of times a push was triggered, labeled by reason for the push.")
                .register(registry).increment();
    }

    /** A push batch was planned: how many proxies it reached and how many distinct scopes were generated. */
    public void pushPlanned(int proxies, int generatedScopes, long nanos) {
        Counter.builder("meshpilot_push_proxies_total").description("Proxies pushed, summed over pushes.")
                .register(registry).increment(proxies);
        Counter.builder("meshpilot_push_generations_total")
                .description("Distinct scopes whose resources were generated, summed over pushes.")
                .register(registry).increment(generatedScopes);
        seconds("meshpilot_push_plan_time", DEBOUNCE_BUCKETS,
                "Seconds to plan, generate and hand out one push batch.", nanos);
    }

    /** A client asked for a type this server does not serve. */
    public void unknownType() {
        Counter.builder("meshpilot_xds_unknown_type_requests").description("Requests for type URLs not served.")
                .register(registry).increment();
    }

    /** A stream was refused (no node, unusable node id). */
    public void streamRefused() {
        Counter.builder("meshpilot_xds_refused_streams").description("ADS streams closed for an unusable first request.")
                .register(registry).increment();
    }

    /** A gauge read on scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    private static String label(String shortType) {
        return shortType.toLowerCase(Locale.ROOT);
    }

    /**
     * A histogram in seconds under exactly this name: Istio's histograms carry no unit suffix, which a Micrometer
     * Timer would add.
     */
    private void seconds(String name, double[] buckets, String description, long nanos) {
        DistributionSummary.builder(name).serviceLevelObjectives(buckets).description(description)
                .register(registry).record(nanos / 1e9);
    }

    /** A stream attached with a proxy id another attached stream already has: {@code meshpilot_xds_duplicate_streams_total}. */
    public void duplicateStream() {
        Counter.builder("meshpilot_xds_duplicate_streams")
                .description("ADS streams that attached while another stream of the same proxy id was attached.")
                .register(registry).increment();
    }
}
