package dev.meshpilot.insight.learn;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.scope.LearnedScope;

import java.util.List;
import java.util.Objects;

/**
 * What {@code recommend} proposes: Sidecars, the learned scope of each workload they were made from, the workloads
 * left alone and why, and the observed calls the proposal would break (must be empty).
 */
public record Recommendation(Granularity granularity, List<RecommendedSidecar> sidecars, List<LearnedScope> scopes,
                             List<SkippedWorkload> skipped, List<BrokenCall> brokenCalls, List<String> notes) {

    /** A workload (or namespace) no Sidecar is proposed for, and why. */
    public record SkippedWorkload(String workload, String reason) {
        public SkippedWorkload {
            Objects.requireNonNull(workload, "workload");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A recently observed call that the proposal, once applied, would leave outside the caller's scope. */
    public record BrokenCall(WorkloadKey workload, CallEvidence call, String scopeName) {
        public BrokenCall {
            Objects.requireNonNull(workload, "workload");
            Objects.requireNonNull(call, "call");
            Objects.requireNonNull(scopeName, "scopeName");
        }

        @Override
        public String toString() {
            return workload + " -> " + call.destination() + " (scoped by " + scopeName + ")";
        }
    }

    public Recommendation {
        Objects.requireNonNull(granularity, "granularity");
        sidecars = List.copyOf(sidecars);
        scopes = List.copyOf(scopes);
        skipped = List.copyOf(skipped);
        brokenCalls = List.copyOf(brokenCalls);
        notes = List.copyOf(notes);
    }

    /** The Sidecar resources alone. */
    public List<SidecarResource> resources() {
        return sidecars.stream().map(RecommendedSidecar::sidecar).toList();
    }
}
