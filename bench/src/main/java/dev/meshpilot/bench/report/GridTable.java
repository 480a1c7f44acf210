package dev.meshpilot.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The grid as Markdown, from the harness's CSV files: one row per run (last run of each label and server wins) with
 * cold convergence, costs, and per event the worst p99 over the rounds of that event's last run (rounds count from 0
 * in each run), proxies changed, needless pushes and misses.
 */
final class GridTable {

    private static final List<String> EVENTS = List.of("endpoint", "new-service", "sidecar", "meshconfig");

    private GridTable() {
    }

    static String markdown(Path runs, Path events) throws IOException {
        Map<String, Map<String, String>> runRows = new TreeMap<>();
        for (Map<String, String> row : csv(runs)) {
            runRows.put(row.get("server") + "|" + row.get("label"), row);
        }
        Map<String, Map<String, List<Map<String, String>>>> eventRows = new HashMap<>();
        if (Files.exists(events)) {
            for (Map<String, String> row : csv(events)) {
                List<Map<String, String>> rounds = eventRows
                        .computeIfAbsent(row.get("server") + "|" + row.get("label"), k -> new LinkedHashMap<>())
                        .computeIfAbsent(row.get("event"), k -> new ArrayList<>());
                if ("0".equals(row.get("round"))) {
                    rounds.clear(); // a later run of the cell: only the last run's rounds are reported, as for runs
                }
                rounds.add(row);
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("| server | services | proxies | scope | client | converged | cold all (s) | server CPU (s) | "
                + "heap after GC (MB) | heap/proxy (KB) | RSS (MB) | sent (MB) | harness CPU (s) | harness KB/client |\n");
        md.append("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, String> r : runRows.values()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s/%s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.get("server"), r.get("services"), r.get("clients"), r.get("scope"), r.get("client_kind"),
                    r.get("converged"), r.get("clients"), seconds(r.get("cold_all_ms")), r.get("cpu_s"),
                    r.get("heap_after_gc_mb"), r.get("heap_per_proxy_kb"), r.get("rss_mb"), r.get("bytes_sent_mb"),
                    r.getOrDefault("harness_cpu_s", ""), r.getOrDefault("harness_heap_per_client_kb", "")));
        }
        md.append("\nPer event (worst round): proxies whose config changed, write-to-ACK p50 / p99 / max in ms, "
                + "needless pushes (goal 0), expected-but-missed.\n\n");
        md.append("| server | services | proxies | scope | client | event | changed | p50 | p99 | max | needless | missed |\n");
        md.append("|---|---:|---:|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, String>> run : runRows.entrySet()) {
            Map<String, List<Map<String, String>>> byEvent = eventRows.getOrDefault(run.getKey(), Map.of());
            for (String event : EVENTS) {
                List<Map<String, String>> rounds = byEvent.get(event);
                if (rounds == null) {
                    continue;
                }
                Map<String, String> r = run.getValue();
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d |%n",
                        r.get("server"), r.get("services"), r.get("clients"), r.get("scope"), r.get("client_kind"), event,
                        join(rounds, "needed"), max(rounds, "p50_ms"), max(rounds, "p99_ms"), max(rounds, "max_ms"),
                        sum(rounds, "needless_proxies"), sum(rounds, "missed")));
            }
        }
        return md.toString();
    }

    private static String seconds(String ms) {
        if (ms == null || ms.isEmpty()) {
            return "";
        }
        double value = Double.parseDouble(ms);
        return value < 0 ? "not all" : String.format(Locale.ROOT, "%.1f", value / 1000);
    }

    private static String join(List<Map<String, String>> rounds, String column) {
        return String.join("/", rounds.stream().map(r -> r.get(column)).toList());
    }

    private static String max(List<Map<String, String>> rounds, String column) {
        return rounds.stream().map(r -> r.get(column)).filter(v -> v != null && !v.isEmpty())
                .mapToDouble(Double::parseDouble).max().stream()
                .mapToObj(v -> String.format(Locale.ROOT, "%.0f", v)).findFirst().orElse("–");
    }

    private static int sum(List<Map<String, String>> rounds, String column) {
        return rounds.stream().mapToInt(r -> Integer.parseInt(r.get(column))).sum();
    }

    static List<Map<String, String>> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", header.length);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], i < cells.length ? cells[i] : "");
            }
            out.add(row);
        }
        return out;
    }
}
