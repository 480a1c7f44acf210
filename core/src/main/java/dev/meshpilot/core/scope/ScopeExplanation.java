package dev.meshpilot.core.scope;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Why a proxy sees what it sees: which Sidecar applied (and why each other candidate lost), and for each mesh
 * service (or the services of one host) whether it is in scope and the rule that put it in or kept it out. Made of
 * strings, booleans and lists only, so it serialises to JSON as is; {@link #render()} gives the plain text the
 * {@code proxy-config scope} command prints.
 */
public record ScopeExplanation(String proxyId, String proxyNamespace, Map<String, String> labels, String scopeName,
                               SidecarDecision sidecar, String outboundTrafficPolicy, String hostFilter,
                               List<ServiceDecision> services, List<String> notes) {

    public ScopeExplanation {
        Objects.requireNonNull(proxyId, "proxyId");
        Objects.requireNonNull(proxyNamespace, "proxyNamespace");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(scopeName, "scopeName");
        Objects.requireNonNull(sidecar, "sidecar");
        Objects.requireNonNull(outboundTrafficPolicy, "outboundTrafficPolicy");
        hostFilter = hostFilter == null ? "" : hostFilter;
        services = List.copyOf(services);
        notes = List.copyOf(notes);
    }

    /** The Sidecar decision: {@code applied} is {@code ns/name} or {@code default-sidecar}. */
    public record SidecarDecision(String applied, String level, String rule, String reason,
                                  List<CandidateDecision> candidates) {
        public SidecarDecision {
            candidates = List.copyOf(candidates);
        }
    }

    /** One Sidecar that was considered. */
    public record CandidateDecision(String sidecar, boolean selected, String rule, String reason) {
    }

    /**
     * One service record of the mesh. {@code source} is {@code Kubernetes/NAME} or {@code ServiceEntry/NAME};
     * {@code ports} are the ports the scope holds for the hostname when in scope, else the service's own ports.
     */
    public record ServiceDecision(String hostname, String namespace, String source, boolean inScope,
                                  List<Integer> ports, String rule, String reason, List<String> details) {
        public ServiceDecision {
            ports = List.copyOf(ports);
            details = List.copyOf(details);
        }
    }

    /** Services of the explanation that are in scope. */
    public List<ServiceDecision> inScope() {
        return services.stream().filter(ServiceDecision::inScope).toList();
    }

    /** Plain text for people. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("Proxy ").append(proxyId).append(" (namespace ").append(proxyNamespace).append(", labels ")
                .append(new TreeMap<>(labels)).append(")\n");
        out.append("Sidecar: ").append(sidecar.applied()).append("  [").append(sidecar.level()).append(", ")
                .append(sidecar.rule()).append("]\n  ").append(sidecar.reason()).append('\n');
        for (CandidateDecision c : sidecar.candidates()) {
            out.append("  ").append(c.selected() ? "+ " : "- ").append(c.sidecar()).append("  ").append(c.rule())
                    .append(": ").append(c.reason()).append('\n');
        }
        out.append("Outbound traffic policy: ").append(outboundTrafficPolicy).append(" (R31)\n");
        long in = services.stream().filter(ServiceDecision::inScope).count();
        out.append("Services").append(hostFilter.isEmpty() ? "" : " for host " + hostFilter).append(": ")
                .append(in).append(" in scope, ").append(services.size() - in).append(" out\n");
        for (ServiceDecision s : services) {
            out.append("  ").append(s.inScope() ? "IN   " : "OUT  ").append(s.hostname()).append("  (")
                    .append(s.source()).append(" in ").append(s.namespace()).append(", ports ").append(s.ports())
                    .append(")\n       ").append(s.rule()).append(": ").append(s.reason()).append('\n');
            for (String d : s.details()) {
                out.append("       - ").append(d).append('\n');
            }
        }
        for (String n : notes) {
            out.append("Note: ").append(n).append('\n');
        }
        return out.toString();
    }
}
