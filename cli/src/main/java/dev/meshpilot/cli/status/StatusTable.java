package dev.meshpilot.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshpilot.xds.naming.XdsType;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * istioctl's proxy-status table (the fixed columns of istioctl up to 1.26): NAME, CLUSTER, CDS, LDS, EDS, RDS,
 * ECDS, ISTIOD, VERSION; per type {@code SYNCED (age)}, {@code STALE (age)}, {@code ERROR (age)},
 * {@code NOT SENT} or {@code IGNORED}; aligned like Go's tabwriter with padding 5.
 */
final class StatusTable {
    static final String[] HEADER = {"NAME", "CLUSTER", "CDS", "LDS", "EDS", "RDS", "ECDS", "ISTIOD", "VERSION"};
    /** ECDS: istioctl shows its column; meshpilot does not serve the type, so it is not an {@link XdsType}. */
    private static final String EXTENSION_CONFIG = "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig";
    /** The type URL of each status column, in header order (CDS, LDS, EDS, RDS, ECDS). */
    private static final String[] TYPES = {
            XdsType.CLUSTER.typeUrl(),
            XdsType.LISTENER.typeUrl(),
            XdsType.ENDPOINT.typeUrl(),
            XdsType.ROUTE.typeUrl(),
            EXTENSION_CONFIG,
    };
    private static final int PADDING = 5;

    private StatusTable() {
    }

    static String render(JsonNode syncz, Instant now) {
        List<JsonNode> proxies = new ArrayList<>();
        syncz.forEach(proxies::add);
        proxies.sort(Comparator.comparing(p -> p.path("proxy").asText()));
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode p : proxies) {
            String[] row = new String[HEADER.length];
            row[0] = p.path("proxy").asText();
            row[1] = p.path("cluster_id").asText();
            for (int i = 0; i < TYPES.length; i++) {
                row[2 + i] = status(p.path("resources").path(TYPES[i]), now);
            }
            row[7] = p.path("istiod").asText();
            row[8] = p.path("istio_version").asText();
            rows.add(row);
        }
        return align(rows);
    }

    static String status(JsonNode type, Instant now) {
        if (type.isMissingNode()) {
            return "IGNORED";
        }
        String state = type.path("status").asText();
        if (state.equals("NOT_SENT") || state.isEmpty()) {
            return "NOT SENT";
        }
        String sent = type.path("sentTime").asText();
        try {
            return state + " (" + human(Duration.between(Instant.parse(sent), now)) + ")";
        } catch (DateTimeParseException e) {
            return state;
        }
    }

    /** Kubernetes' human duration: 45s, 3m2s, 42m, 5h3m, 30h, 6d. */
    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return s % 60 == 0 ? m + "m" : m + "m" + (s % 60) + "s";
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 8) {
            return m % 60 == 0 ? h + "h" : h + "h" + (m % 60) + "m";
        }
        if (h < 48) {
            return h + "h";
        }
        return (h / 24) + "d";
    }

    static String align(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns - 1; c++) {
                widths[c] = Math.max(widths[c], row[c].length() + PADDING);
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                out.append(row[c]);
                if (c < columns - 1) {
                    out.append(" ".repeat(widths[c] - row[c].length()));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
