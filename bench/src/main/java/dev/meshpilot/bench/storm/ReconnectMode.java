package dev.meshpilot.bench.storm;

import java.util.Locale;

/** How the simulated proxies come back after the server was killed. */
public enum ReconnectMode {
    /**
     * The worst case: every proxy waits until the new server is ready, then all open their streams in the same
     * instant (what a fleet with short, aligned retry timers does once the control plane's port answers again).
     */
    ALL_AT_ONCE,
    /**
     * As Envoy does: each proxy retries on its own from the moment its stream broke, after Envoy's jittered
     * exponential backoff ({@link EnvoyBackoff#ENVOY_DEFAULT}); attempts while the server is down fail and back off.
     */
    ENVOY_BACKOFF;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ReconnectMode fromCliName(String value) {
        for (ReconnectMode mode : values()) {
            if (mode.cliName().equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown reconnect mode '" + value + "' (all-at-once, envoy-backoff)");
    }
}
