package dev.meshpilot.insight.generate;

import java.util.Locale;

/** Which Sidecar resources a generated mesh carries. */
public enum SidecarMode {
    /** No Sidecar at all: every proxy sees every exported service. */
    NONE,
    /** One {@code default} Sidecar in the root namespace importing {@code ./*} and {@code istio-system/*}. */
    ROOT_DEFAULT,
    /** One Sidecar per workload, selected by its pod labels, importing exactly the hosts it calls. */
    TRAFFIC;

    /** The command-line spelling: {@code none}, {@code root-default}, {@code traffic}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static SidecarMode fromCliName(String value) {
        for (SidecarMode mode : values()) {
            if (mode.cliName().equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown sidecar mode '" + value + "' (expected none, root-default or traffic)");
    }
}
