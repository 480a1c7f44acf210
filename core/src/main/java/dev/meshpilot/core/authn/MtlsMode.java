package dev.meshpilot.core.authn;

import dev.meshpilot.core.model.PeerAuthenticationResource;

/** Istio's resolved {@code MutualTLSMode}: {@link #UNKNOWN} when no policy says anything. */
public enum MtlsMode {
    UNKNOWN, DISABLE, PERMISSIVE, STRICT;

    /** Istio's {@code ConvertToMutualTLSMode}: {@code UNSET} is {@link #UNKNOWN}. */
    public static MtlsMode of(PeerAuthenticationResource.Mode mode) {
        return switch (mode) {
            case DISABLE -> DISABLE;
            case PERMISSIVE -> PERMISSIVE;
            case STRICT -> STRICT;
            case UNSET -> UNKNOWN;
        };
    }
}
