package dev.meshpilot.core.scope;

import dev.meshpilot.core.ledger.CallEvidence;

import java.util.List;
import java.util.Objects;

/**
 * One host's fate in a learned scope.
 *
 * @param host      a service hostname, or the destination as observed for an unknown one
 * @param namespace the service's namespace; empty for an unknown destination
 * @param reason    why it is in or out
 * @param detail    one phrase for people (the evidence, the pin, the VirtualService, the Sidecar)
 * @param evidence  the ledger's evidence for this host (empty when it was never seen)
 */
public record HostVerdict(String host, String namespace, HostReason reason, String detail,
                          List<CallEvidence> evidence) {

    public HostVerdict {
        Objects.requireNonNull(host, "host");
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
        evidence = List.copyOf(evidence == null ? List.of() : evidence);
    }

    public boolean inScope() {
        return reason.inScope();
    }

    /** {@code namespace/host} as a Sidecar egress host, or the bare host for an unknown destination. */
    public String egressHost() {
        return namespace.isEmpty() ? host : namespace + "/" + host;
    }
}
