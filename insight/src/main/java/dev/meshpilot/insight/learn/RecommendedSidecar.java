package dev.meshpilot.insight.learn;

import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.SidecarResource;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One recommended Sidecar, with why each egress host is in it.
 *
 * @param sidecar     the resource (meta labelled managed-by meshpilot)
 * @param hostReasons egress host ({@code ns/fqdn}) to one phrase of evidence ({@code learned: traffic-file; 3 calls;
 *                    last seen 2026-12-01})
 * @param workloads   the workloads whose learned scopes it carries
 */
public record RecommendedSidecar(SidecarResource sidecar, Map<String, String> hostReasons, List<WorkloadKey> workloads) {
    public RecommendedSidecar {
        Objects.requireNonNull(sidecar, "sidecar");
        hostReasons = Map.copyOf(hostReasons);
        workloads = List.copyOf(workloads);
    }

    /** The egress hosts, in the Sidecar's order. */
    public List<String> hosts() {
        return sidecar.egress().isEmpty() ? List.of() : sidecar.egress().get(0).hosts();
    }
}
