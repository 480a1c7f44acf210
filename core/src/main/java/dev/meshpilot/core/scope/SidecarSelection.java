package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.SidecarResource;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which Sidecar applies to a proxy and why (R13–R15), with every Sidecar that was considered and why it lost.
 *
 * @param sidecar    the Sidecar used; empty for the synthesized {@code default-sidecar}
 * @param scopeName  the Sidecar's name or {@code default-sidecar}
 * @param level      how it was chosen
 * @param rule       the rule that decided (e.g. {@code R14})
 * @param reason     one sentence for people
 */
public record SidecarSelection(Optional<SidecarResource> sidecar, String scopeName, Level level, String rule,
                               String reason, List<Candidate> candidates) {

    /** How the applied Sidecar was found. */
    public enum Level { WORKLOAD_SELECTOR, NAMESPACE_DEFAULT, ROOT_DEFAULT, SYNTHESIZED_DEFAULT }

    /** One considered Sidecar and the outcome. */
    public record Candidate(ConfigKey sidecar, boolean selected, String rule, String reason) {
        public Candidate {
            Objects.requireNonNull(sidecar, "sidecar");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(reason, "reason");
        }
    }

    public SidecarSelection {
        sidecar = sidecar == null ? Optional.empty() : sidecar;
        Objects.requireNonNull(scopeName, "scopeName");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        candidates = List.copyOf(candidates);
    }

    public Optional<ConfigKey> sidecarKey() {
        return sidecar.map(SidecarResource::key);
    }
}
