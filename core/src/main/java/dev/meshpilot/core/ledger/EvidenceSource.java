package dev.meshpilot.core.ledger;

import java.util.Locale;

/** Where an observation came from. */
public enum EvidenceSource {
    /** Istio's standard metrics read from a Prometheus server. */
    PROMETHEUS,
    /** Envoy access-log entries streamed to meshpilot's access-log service. */
    ACCESS_LOG,
    /** A proxyless gRPC client subscribing to a listener {@code FQDN:PORT}: it is about to call it. */
    GRPC_SUBSCRIPTION,
    /** A traffic edges file ({@code edges.csv}). */
    TRAFFIC_FILE;

    /** Lower-case with dashes, as printed and stored ({@code access-log}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The inverse of {@link #label()}. */
    public static EvidenceSource fromLabel(String label) {
        for (EvidenceSource s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown evidence source '" + label + "'");
    }
}
