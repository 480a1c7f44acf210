package dev.meshpilot.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "meshpilot / SimpleCache" per grid cell: for each label both servers ran, the last {@code runs} runs of each paired
 * in order (the n-th meshpilot run of a cell with its n-th java-control-plane run), each as ratios of cold
 * convergence time and CPU and, per event, of the worst max write-to-ACK latency and the server CPU. Below 1 means
 * meshpilot took less. Cells only one server ran are left out.
 */
final class RatioTable {

    private static final String MESHPILOT = "meshpilot";
    private static final String PEER = "java-control-plane";
    /** The harness's default label: services, proxies, scope, client kind. */
    private static final String GRID_LABEL = "\\d+svc-\\d+px-[a-z]+-[a-z-]+";

    private RatioTable() {
    }

    static String markdown(Path runsCsv, Path eventsCsv, int runs) throws IOException {
        Map<String, Map<String, List<Map<String, String>>>> runsByLabel = new LinkedHashMap<>();
        for (Map<String, String> row : GridTable.csv(runsCsv)) {
            runsByLabel.computeIfAbsent(row.get("label"), k -> new LinkedHashMap<>())
                    .computeIfAbsent(row.get("server"), k -> new ArrayList<>()).add(row);
        }
        // per server|label and event: that event's runs (a run of an event starts at its round 0)
        Map<String, Map<String, List<List<Map<String, String>>>>> eventRuns = new LinkedHashMap<>();
        if (Files.exists(eventsCsv)) {
            for (Map<String, String> row : GridTable.csv(eventsCsv)) {
                List<List<Map<String, String>>> seq = eventRuns
                        .computeIfAbsent(row.get("server") + "|" + row.get("label"), k -> new LinkedHashMap<>())
                        .computeIfAbsent(row.get("event"), k -> new ArrayList<>());
                if (seq.isEmpty() || "0".equals(row.get("round"))) {
                    seq.add(new ArrayList<>());
                }
                seq.get(seq.size() - 1).add(row);
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("| cell (label) | run | cold time | cold CPU | events: worst max write→ACK (meshpilot / SimpleCache ms) |"
                + " events: server CPU |\n");
        md.append("|---|---:|---:|---:|---|---|\n");
        runsByLabel.forEach((label, byServer) -> {
            if (!label.matches(GRID_LABEL)) {
                return; // a run named by hand (a profile, a check), not a grid cell
            }
            List<Map<String, String>> mine = byServer.get(MESHPILOT);
            List<Map<String, String>> peer = byServer.get(PEER);
            if (mine == null || peer == null) {
                return;
            }
            int pairs = Math.min(runs, Math.min(mine.size(), peer.size()));
            Map<String, List<List<Map<String, String>>>> myEvents = eventRuns.getOrDefault(MESHPILOT + "|" + label,
                    Map.of());
            Map<String, List<List<Map<String, String>>>> peerEvents = eventRuns.getOrDefault(PEER + "|" + label,
                    Map.of());
            for (int i = 0; i < pairs; i++) {
                Map<String, String> m = mine.get(mine.size() - pairs + i);
                Map<String, String> p = peer.get(peer.size() - pairs + i);
                Map<String, List<Map<String, String>>> me = nth(myEvents, pairs, i);
                Map<String, List<Map<String, String>>> pe = nth(peerEvents, pairs, i);
                List<String> latency = new ArrayList<>();
                List<String> cpu = new ArrayList<>();
                me.forEach((event, rounds) -> {
                    List<Map<String, String>> theirs = pe.get(event);
                    if (theirs == null) {
                        return;
                    }
                    double myMax = worst(rounds, "max_ms");
                    if (Double.isNaN(myMax) && Double.isNaN(worst(theirs, "max_ms"))) {
                        return; // nobody needed it (traffic scope: the changed service is called by no client)
                    }
                    double peerMax = worst(theirs, "max_ms");
                    latency.add(String.format(Locale.ROOT, "%s %s (%.0f / %.0f)", event, ratio(myMax, peerMax), myMax,
                            peerMax));
                    cpu.add(event + " " + ratio(total(rounds, "cpu_s"), total(theirs, "cpu_s")));
                });
                md.append(String.format(Locale.ROOT, "| %s | %d | %s (%s / %s s) | %s (%s / %s s) | %s | %s |%n",
                        label, i + 1,
                        ratio(num(m, "cold_all_ms"), num(p, "cold_all_ms")), secs(m, "cold_all_ms"), secs(p, "cold_all_ms"),
                        ratio(num(m, "cold_cpu_s"), num(p, "cold_cpu_s")), m.get("cold_cpu_s"), p.get("cold_cpu_s"),
                        latency.isEmpty() ? "–" : String.join("; ", latency),
                        cpu.isEmpty() ? "–" : String.join("; ", cpu)));
            }
        });
        return md.toString();
    }

    /** Per event, its i-th of the last {@code pairs} runs (events a run did not measure are absent). */
    private static Map<String, List<Map<String, String>>> nth(Map<String, List<List<Map<String, String>>>> byEvent,
                                                             int pairs, int i) {
        Map<String, List<Map<String, String>>> out = new LinkedHashMap<>();
        byEvent.forEach((event, runs) -> {
            int at = runs.size() - pairs + i;
            if (at >= 0 && at < runs.size()) {
                out.put(event, runs.get(at));
            }
        });
        return out;
    }

    private static double num(Map<String, String> row, String column) {
        String v = row.get(column);
        return v == null || v.isEmpty() ? Double.NaN : Double.parseDouble(v);
    }

    private static String secs(Map<String, String> row, String column) {
        return String.format(Locale.ROOT, "%.1f", num(row, column) / 1000);
    }

    private static double worst(List<Map<String, String>> rounds, String column) {
        return rounds.stream().mapToDouble(r -> num(r, column)).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    private static double total(List<Map<String, String>> rounds, String column) {
        return rounds.stream().mapToDouble(r -> num(r, column)).filter(v -> !Double.isNaN(v)).sum();
    }

    private static String ratio(double mine, double peer) {
        if (Double.isNaN(mine) || Double.isNaN(peer) || mine < 0 || peer <= 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f", mine / peer);
    }
}
