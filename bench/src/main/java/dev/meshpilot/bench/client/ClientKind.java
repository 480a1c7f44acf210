package dev.meshpilot.bench.client;

import java.util.Locale;

/** How a simulated client behaves on the wire. */
public enum ClientKind {
    /** Envoy, state of the world: wildcard CDS and LDS, then named EDS and RDS; ACKs everything. */
    ENVOY_SOTW(false, false),
    /** Envoy, incremental: the same subscriptions over DeltaAggregatedResources. */
    ENVOY_DELTA(true, false),
    /** Proxyless gRPC: named LDS for the listeners it calls, then named RDS, CDS and EDS (state of the world). */
    GRPC(false, true);

    private final boolean delta;
    private final boolean proxyless;

    ClientKind(boolean delta, boolean proxyless) {
        this.delta = delta;
        this.proxyless = proxyless;
    }

    public boolean delta() {
        return delta;
    }

    public boolean proxyless() {
        return proxyless;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ClientKind fromCliName(String value) {
        for (ClientKind kind : values()) {
            if (kind.cliName().equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown client kind '" + value + "' (envoy-sotw, envoy-delta, grpc)");
    }
}
