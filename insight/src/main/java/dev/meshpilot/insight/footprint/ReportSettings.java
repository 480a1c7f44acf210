package dev.meshpilot.insight.footprint;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.insight.model.EnvoyMemoryModel.StatsProfile;

import java.util.Objects;

/**
 * What the report was computed from and with: shown in every output so a number is never read without its
 * assumptions.
 *
 * @param source    the registry (e.g. the directory analysed) or {@code live}
 * @param workers   Envoy worker threads assumed by the memory model
 */
public record ReportSettings(String source, ProxyKind kind, int workers, StatsProfile stats, boolean assumeMtls) {
    public ReportSettings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(stats, "stats");
    }
}
