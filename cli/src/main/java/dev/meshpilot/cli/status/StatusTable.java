package dev.meshpilot.cli.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * istioctl's proxy-status tables as its {@code XdsStatusWriter} (istioctl/pkg/writer/pilot/status.go, 1.27 and
 * later) prints them, aligned like Go's tabwriter with padding 5:
 * <ul>
 *   <li>default: {@code NAME  CLUSTER  ISTIOD  VERSION  SUBSCRIBED TYPES}, the last column {@code N (CDS,LDS,...)}
 *       listing the types the proxy subscribed to (CDS, LDS, EDS, RDS first, then other types sorted by URL), or
 *       {@code 0};</li>
 *   <li>verbose ({@code -v 1}): {@code NAME  CLUSTER}, one column per type (every type seen plus CDS, LDS, EDS, RDS
 *       and ECDS, sorted by type URL, so {@code CDS ECDS EDS LDS RDS}) with {@code SYNCED (age)},
 *       {@code STALE (age)}, {@code ERROR (age)}, {@code NOT SENT} or {@code IGNORED}, then {@code ISTIOD  VERSION}
 *       — the pre-1.27 per-type view.</li>
 * </ul>
 */
final class StatusTable {
    static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    static final String ECDS = "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig";
    private static final List<String> CORE_ORDER = List.of(CDS, LDS, EDS, RDS);
    private static final List<String> KNOWN_TYPES = List.of(CDS, LDS, EDS, RDS, ECDS);
    private static final Map<String, String> SHORT_NAMES = shortNames();
    private static final String IGNORED = "IGNORED";
    private static final int PADDING = 5;

    private StatusTable() {
    }

    /** The default (1.27+) table. */
    static String render(List<ProxySync> proxies, Instant now) {
        List<ProxySync> sorted = sorted(proxies);
        List<String> allTypes = allTypes(sorted);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "CLUSTER", "ISTIOD", "VERSION", "SUBSCRIBED TYPES"});
        for (ProxySync p : sorted) {
            Map<String, String> statuses = statuses(p, now);
            List<String> subscribed = new ArrayList<>();
            for (String t : allTypes) {
                String s = statuses.get(t);
                if (s != null && !s.equals(IGNORED)) {
                    subscribed.add(shortName(t));
                }
            }
            String column = subscribed.isEmpty() ? "0"
                    : subscribed.size() + " (" + String.join(",", subscribed) + ")";
            rows.add(new String[] {p.proxyId(), p.clusterId(), p.istiod(), p.istioVersion(), column});
        }
        return align(rows);
    }

    /** The verbose table ({@code -v 1}): a status column per type. */
    static String renderVerbose(List<ProxySync> proxies, Instant now) {
        List<ProxySync> sorted = sorted(proxies);
        TreeSet<String> types = new TreeSet<>(allTypes(sorted));
        types.addAll(KNOWN_TYPES);
        List<String> header = new ArrayList<>(List.of("NAME", "CLUSTER"));
        types.forEach(t -> header.add(shortName(t)));
        header.add("ISTIOD");
        header.add("VERSION");
        List<String[]> rows = new ArrayList<>();
        rows.add(header.toArray(String[]::new));
        for (ProxySync p : sorted) {
            Map<String, String> statuses = statuses(p, now);
            List<String> row = new ArrayList<>(List.of(p.proxyId(), p.clusterId()));
            types.forEach(t -> row.add(statuses.getOrDefault(t, IGNORED)));
            row.add(p.istiod());
            row.add(p.istioVersion());
            rows.add(row.toArray(String[]::new));
        }
        return align(rows);
    }

    /** istioctl's {@code formatStatus}: UNKNOWN is IGNORED, NOT_SENT is {@code NOT SENT}, others with their age. */
    static String status(TypeSync t, Instant now) {
        return switch (t.status()) {
            case "UNKNOWN" -> IGNORED;
            case "NOT_SENT" -> "NOT SENT";
            default -> t.lastUpdated() == null ? t.status()
                    : t.status() + " (" + human(Duration.between(t.lastUpdated(), now)) + ")";
        };
    }

    /** Istio's {@code GetShortType}: CDS, LDS, RDS, EDS, SDS, NDS, PCDS, ECDS, WDS, WADS; the URL otherwise. */
    static String shortName(String typeUrl) {
        return SHORT_NAMES.getOrDefault(typeUrl, typeUrl);
    }

    /** Kubernetes' {@code duration.HumanDuration}: 45s, 3m2s, 42m, 5h3m, 30h, 3d4h, 20d, 2y30d, 9y. */
    static String human(Duration d) {
        long s = d.getSeconds();
        if (s < -1) {
            return "<invalid>";
        }
        if (s < 0) {
            return "0s";
        }
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
        if (h < 24 * 8) {
            return h % 24 == 0 ? (h / 24) + "d" : (h / 24) + "d" + (h % 24) + "h";
        }
        if (h < 24 * 365 * 2) {
            return (h / 24) + "d";
        }
        if (h < 24 * 365 * 8) {
            long days = (h / 24) % 365;
            return days == 0 ? (h / 24 / 365) + "y" : (h / 24 / 365) + "y" + days + "d";
        }
        return (h / 24 / 365) + "y";
    }

    private static List<ProxySync> sorted(List<ProxySync> proxies) {
        return proxies.stream().sorted(Comparator.comparing(ProxySync::proxyId)).toList();
    }

    /** Every type any proxy reports: CDS, LDS, EDS, RDS in that order when present, then the others by URL. */
    private static List<String> allTypes(List<ProxySync> proxies) {
        TreeSet<String> seen = new TreeSet<>();
        proxies.forEach(p -> p.types().forEach(t -> seen.add(t.typeUrl())));
        List<String> out = new ArrayList<>();
        for (String t : CORE_ORDER) {
            if (seen.remove(t)) {
                out.add(t);
            }
        }
        out.addAll(seen);
        return out;
    }

    private static Map<String, String> statuses(ProxySync p, Instant now) {
        Map<String, String> out = new LinkedHashMap<>();
        p.types().forEach(t -> out.put(t.typeUrl(), status(t, now)));
        return out;
    }

    /**
     * Go's tabwriter with minwidth 0, padding 5 and no flags: every cell but a line's last is padded to its column's
     * widest cell plus 5.
     */
    static String align(List<String[]> rows) {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < row.length - 1; c++) {
                widths[c] = Math.max(widths[c], row[c].length() + PADDING);
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                out.append(row[c]);
                if (c < row.length - 1) {
                    out.append(" ".repeat(widths[c] - row[c].length()));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static Map<String, String> shortNames() {
        String api = "type.googleapis.com/";
        Map<String, String> names = new LinkedHashMap<>();
        names.put(CDS, "CDS");
        names.put(LDS, "LDS");
        names.put(RDS, "RDS");
        names.put(EDS, "EDS");
        names.put(api + "envoy.extensions.transport_sockets.tls.v3.Secret", "SDS");
        names.put(api + "istio.networking.nds.v1.NameTable", "NDS");
        names.put(api + "istio.mesh.v1alpha1.ProxyConfig", "PCDS");
        names.put(ECDS, "ECDS");
        names.put(api + "istio.workload.Address", "WDS");
        names.put(api + "istio.workload.Workload", "WDS");
        names.put(api + "istio.security.Authorization", "WADS");
        return Map.copyOf(names);
    }
}
