package dev.meshpilot.insight.whatif;

import dev.meshpilot.core.model.SidecarResource;

import java.util.List;
import java.util.Objects;

/**
 * A what-if: Sidecar resources to apply on top of the mesh (replacing any Sidecar of the same namespace and
 * name, as {@code kubectl apply} would), described for people.
 *
 * @param kind        {@code with}, {@code namespace} or {@code traffic}
 * @param description one line, e.g. {@code root default Sidecar in istio-system: egress ./* + istio-system/*}
 * @param notes       what the proposal could not express or had to ignore
 */
public record Proposal(String kind, String description, List<SidecarResource> sidecars, List<String> notes) {
    public Proposal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        sidecars = List.copyOf(sidecars);
        notes = List.copyOf(notes == null ? List.of() : notes);
    }
}
