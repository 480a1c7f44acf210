package dev.meshpilot.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.meshpilot.core.ledger.WorkloadKey;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The metrics of learning (the dependency ledger and the sources feeding it): {@code meshpilot_learning_*}.
 * Labels are bounded: sources are evidence-source labels or reader descriptions the operator configured, reasons
 * are a fixed vocabulary.
 */
public final class LearningMetrics {
    private final MeterRegistry registry;
    private final Map<WorkloadKey, LongAdder> fallbackCallsByWorkload = new ConcurrentHashMap<>();

    public LearningMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Observations merged into the ledger from this source: {@code meshpilot_learning_observations_total{source}}. */
    public void observed(String source, long observations) {
        Counter.builder("meshpilot_learning_observations")
                .description("Observations merged into the dependency ledger, by evidence source.")
                .tag("source", source).register(registry).increment(observations);
    }

    /** Evidence thrown away: {@code meshpilot_learning_dropped_total{reason}}. */
    public void dropped(String reason, long entries) {
        Counter.builder("meshpilot_learning_dropped")
                .description("Evidence entries dropped before reaching the ledger, by reason.")
                .tag("reason", reason).register(registry).increment(entries);
    }

    /** A source or the store failed once: {@code meshpilot_learning_source_errors_total{source}}. */
    public void sourceError(String source) {
        Counter.builder("meshpilot_learning_source_errors")
                .description("Failed reads of evidence sources and failed loads/saves of the ledger store.")
                .tag("source", source).register(registry).increment();
    }

    /** The number of (workload, destination) edges in the ledger, read on scrape: {@code meshpilot_learning_edges}. */
    public void edges(Supplier<Number> edges) {
        Gauge.builder("meshpilot_learning_edges", edges)
                .description("Edges (calling workload, destination) in the dependency ledger.").register(registry);
    }

    /** A workload's served scope widened at once: {@code meshpilot_learning_widenings_total{path}}. */
    public void widened(String path) {
        Counter.builder("meshpilot_learning_widenings")
                .description("Learned scopes widened on the fast path, by what showed the need "
                        + "(access_log, grpc_subscription).")
                .tag("path", path).register(registry).increment();
    }

    /**
     * A call to a registered destination went through a fallback (PassthroughCluster, BlackHoleCluster):
     * {@code meshpilot_learning_fallback_calls_total{workload_namespace}}.
     */
    public void fallbackCall(WorkloadKey caller, long calls) {
        Counter.builder("meshpilot_learning_fallback_calls")
                .description("Access-log entries to registered destinations that went through a fallback path "
                        + "(PassthroughCluster, BlackHoleCluster), by the caller's namespace.")
                .tag("workload_namespace", caller.namespace()).register(registry).increment(calls);
        fallbackCallsByWorkload.computeIfAbsent(caller, k -> new LongAdder()).add(calls);
    }

    /**
     * The fallback calls counted since start per calling workload (kept in memory for the footprint view; the
     * metric carries only the namespace, to bound its labels).
     */
    public Map<WorkloadKey, Long> fallbackCallsByWorkload() {
        Map<WorkloadKey, Long> out = new TreeMap<>();
        fallbackCallsByWorkload.forEach((w, n) -> out.put(w, n.sum()));
        return out;
    }

    /**
     * What learning serves, read on scrape: {@code meshpilot_learning_learned_edges} (workload to service edges
     * of the learned scopes served or, in shadow mode, that would be) and {@code meshpilot_learning_distinct_scopes}
     * (distinct learned scopes among them: workloads with equal learned sets share one).
     */
    public void served(Supplier<Number> learnedEdges, Supplier<Number> distinctScopes) {
        Gauge.builder("meshpilot_learning_learned_edges", learnedEdges)
                .description("Workload-to-service edges of the learned scopes (served, or in shadow mode would be).")
                .register(registry);
        Gauge.builder("meshpilot_learning_distinct_scopes", distinctScopes)
                .description("Distinct learned scopes (workloads with equal learned sets share one).")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }
}
