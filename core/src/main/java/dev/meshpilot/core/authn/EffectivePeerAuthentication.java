package dev.meshpilot.core.authn;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The peer authentication a workload's sidecar enforces (Istio's {@code MergedPeerAuthentication}): one mode, and
 * per workload port the modes a workload policy's {@code portLevelMtls} set.
 *
 * @param mode    never {@link MtlsMode#UNKNOWN}: without any policy it is {@link MtlsMode#PERMISSIVE}
 * @param perPort workload port to mode, sorted by port
 */
public record EffectivePeerAuthentication(MtlsMode mode, Map<Integer, MtlsMode> perPort) {

    /** What a workload gets without any policy: PERMISSIVE on every port. */
    public static final EffectivePeerAuthentication DEFAULT = new EffectivePeerAuthentication(MtlsMode.PERMISSIVE,
            Map.of());

    public EffectivePeerAuthentication {
        Objects.requireNonNull(mode, "mode");
        perPort = Collections.unmodifiableMap(new TreeMap<>(perPort == null ? Map.of() : perPort));
    }

    /** Istio's {@code GetMutualTLSModeForPort}: the port's own mode, else the workload's. */
    public MtlsMode modeFor(int workloadPort) {
        return perPort.getOrDefault(workloadPort, mode);
    }
}
