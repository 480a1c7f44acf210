package dev.meshpilot.core.scope;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.OutboundTrafficPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What learning decided for one workload: the services it keeps, every host's verdict with its reason, and the
 * outcome. When learning is not applied (a hand-written Sidecar wins, or the safety check failed) the services
 * are the previous scope's and {@link #brokenCalls} or {@link #handWrittenSidecar} say why.
 *
 * @param upperBound            what Istio's rules already show the workload (meshpilot's own Sidecars removed)
 * @param services              the scope's services: learned, or the previous scope's when not applied
 * @param verdicts              per host, why it is in or out (scope services first, in scope order)
 * @param brokenCalls           recent calls the narrowed scope would have left outside (empty when applied)
 * @param handWrittenSidecar    {@code ns/name} of the Sidecar that wins, when one does
 * @param outboundTrafficPolicy the policy a root default Sidecar of the upper bound set, carried over
 * @param problems              located messages about the inputs (malformed pins)
 */
public record LearnedScope(WorkloadKey workload, Outcome outcome, ProxyScope upperBound, List<MeshService> services,
                           List<HostVerdict> verdicts, List<CallEvidence> brokenCalls,
                           Optional<String> handWrittenSidecar, Optional<OutboundTrafficPolicy> outboundTrafficPolicy,
                           List<String> problems) {

    /** Whether the learned scope applies. */
    public enum Outcome {
        /** The learned scope is the workload's scope. */
        LEARNED,
        /** A Sidecar someone wrote selects the workload (or is its namespace's default); it wins. */
        HAND_WRITTEN_SIDECAR_WINS,
        /** Narrowing would break recently observed calls; the previous scope is kept. */
        SAFETY_CHECK_FAILED
    }

    public LearnedScope {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(upperBound, "upperBound");
        services = List.copyOf(services);
        verdicts = List.copyOf(verdicts);
        brokenCalls = List.copyOf(brokenCalls);
        handWrittenSidecar = handWrittenSidecar == null ? Optional.empty() : handWrittenSidecar;
        outboundTrafficPolicy = outboundTrafficPolicy == null ? Optional.empty() : outboundTrafficPolicy;
        problems = List.copyOf(problems);
    }

    public boolean applied() {
        return outcome == Outcome.LEARNED;
    }

    /** The scope's services as Sidecar egress hosts {@code ns/fqdn}, sorted and distinct. */
    public List<String> egressHosts() {
        TreeSet<String> hosts = new TreeSet<>();
        for (MeshService s : services) {
            hosts.add(s.namespace() + "/" + s.hostname());
        }
        return List.copyOf(hosts);
    }

    /** The verdicts of one hostname (several when services in two namespaces share it). */
    public List<HostVerdict> verdictsFor(String host) {
        return verdicts.stream().filter(v -> v.host().equals(host)).toList();
    }

    /** One line per host ({@code in  reviews.default.svc.cluster.local  learned  traffic-file; 3 calls; ...}). */
    public List<String> explain() {
        List<String> lines = new ArrayList<>();
        lines.add("learned scope of " + workload + ": " + switch (outcome) {
            case LEARNED -> services.size() + " of " + upperBound.services().size() + " services of the upper bound ("
                    + upperBound.name() + ")";
            case HAND_WRITTEN_SIDECAR_WINS -> "not applied, hand-written Sidecar " + handWrittenSidecar.orElse("?")
                    + " selects it";
            case SAFETY_CHECK_FAILED -> "not applied, it would break " + brokenCalls.size()
                    + " recently observed calls: " + String.join(", ",
                    brokenCalls.stream().map(c -> c.destination().toString()).toList());
        });
        for (HostVerdict v : verdicts) {
            lines.add(String.format(java.util.Locale.ROOT, "  %-3s %-60s %-26s %s", v.inScope() ? "in" : "out",
                    v.egressHost(), v.reason().label(), v.detail()));
        }
        problems.forEach(p -> lines.add("  problem: " + p));
        return lines;
    }
}
