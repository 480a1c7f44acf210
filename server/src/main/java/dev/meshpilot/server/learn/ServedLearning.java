package dev.meshpilot.server.learn;

import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.ledger.WorkloadNames;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Learning's decisions as one immutable value, the scope input the push pipeline serves from: per workload, the
 * hosts it is narrowed to. A proxy is narrowed iff its pod belongs to a workload with a decision and its namespace
 * is in {@code learned} mode now (a namespace switched to {@code shadow} or {@code off} is served its upper bound at
 * once).
 *
 * @param evaluatedAt when the last periodic re-evaluation ran; empty before the first
 */
public record ServedLearning(ScopingMode defaultMode, Map<WorkloadKey, WorkloadDecision> decisions,
                             Optional<Instant> evaluatedAt) {
    public ServedLearning {
        Objects.requireNonNull(defaultMode, "defaultMode");
        decisions = java.util.Collections.unmodifiableMap(new TreeMap<>(decisions));
        evaluatedAt = evaluatedAt == null ? Optional.empty() : evaluatedAt;
    }

    /** No decisions yet. */
    public static ServedLearning none(ScopingMode defaultMode) {
        return new ServedLearning(defaultMode, Map.of(), Optional.empty());
    }

    /** The workload of a proxy whose pod the registry knows. */
    public static Optional<WorkloadKey> workloadOf(ProxyIdentity proxy, MeshSnapshot snapshot) {
        return snapshot.findWorkload(proxy.podName(), proxy.namespace()).map(WorkloadNames::of);
    }

    public ScopingMode modeOf(MeshSnapshot snapshot, String namespace) {
        return NamespaceModes.modeOf(snapshot, namespace, defaultMode);
    }

    /** The hosts a proxy is served in this snapshot; empty: its upper bound (Istio's scope). */
    public Optional<List<String>> narrowingFor(ProxyIdentity proxy, MeshSnapshot snapshot) {
        if (decisions.isEmpty() || modeOf(snapshot, proxy.namespace()) != ScopingMode.LEARNED) {
            return Optional.empty();
        }
        return workloadOf(proxy, snapshot).map(decisions::get).flatMap(WorkloadDecision::hosts);
    }

    /**
     * The hosts learning narrowed the proxy's workload to, whether served ({@code learned} mode) or not
     * ({@code shadow}); empty when its namespace is {@code off} or learning did not narrow it.
     */
    public Optional<List<String>> learnedHostsFor(ProxyIdentity proxy, MeshSnapshot snapshot) {
        if (decisions.isEmpty() || modeOf(snapshot, proxy.namespace()) == ScopingMode.OFF) {
            return Optional.empty();
        }
        return workloadOf(proxy, snapshot).map(decisions::get).flatMap(WorkloadDecision::hosts);
    }

    public Optional<WorkloadDecision> decision(WorkloadKey workload) {
        return Optional.ofNullable(decisions.get(workload));
    }
}
