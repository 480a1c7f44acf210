package dev.meshpilot.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Draws the grid's SVG plots from the harness's CSV files: each cost (cold convergence, endpoint-change p99, server
 * CPU, heap after GC) against services (one line per scope and proxy count) and against proxies (one line per
 * scope and service count), Envoy state-of-the-world runs only. For a cell measured several times the last run
 * counts.
 *
 * <pre>java -cp ... dev.meshpilot.bench.report.PlotMain bench/results docs/performance</pre>
 */
public final class PlotMain {

    /** One row of runs.csv joined with its worst endpoint-change p99 from events.csv. */
    record Cell(String server, String label, int services, int clients, String scope, double coldS, double cpuS,
                double heapMb, double endpointP99Ms) {
    }

    private record Metric(String file, String title, String unit, ToDoubleFunction<Cell> value) {
    }

    private static final List<Metric> METRICS = List.of(
            new Metric("cold", "cold convergence of all proxies", "seconds", Cell::coldS),
            new Metric("endpoint-p99", "endpoint change: write to ACK, p99", "milliseconds", Cell::endpointP99Ms),
            new Metric("cpu", "server CPU for the whole run", "CPU seconds", Cell::cpuS),
            new Metric("heap", "server heap after GC", "MB", Cell::heapMb));

    private PlotMain() {
    }

    public static void main(String[] args) throws IOException {
        Path results = Path.of(args.length > 0 ? args[0] : "bench/results");
        Path out = Path.of(args.length > 1 ? args[1] : "docs/performance");
        List<Cell> cells = read(results.resolve("runs.csv"), results.resolve("events.csv"));
        Files.createDirectories(out);
        for (Metric metric : METRICS) {
            write(out.resolve(metric.file() + "-vs-services.svg"), chart(cells, metric, true));
            write(out.resolve(metric.file() + "-vs-proxies.svg"), chart(cells, metric, false));
        }
        Files.writeString(out.resolve("grid.md"), GridTable.markdown(results.resolve("runs.csv"),
                results.resolve("events.csv")));
        Files.writeString(out.resolve("ratios.md"), RatioTable.markdown(results.resolve("runs.csv"),
                results.resolve("events.csv"), 2));
        System.out.println("wrote " + METRICS.size() * 2 + " plots, grid.md and ratios.md to " + out + " from " + cells.size()
                + " runs");
    }

    static String chart(List<Cell> cells, Metric metric, boolean versusServices) {
        Map<String, TreeMap<Double, Double>> series = new TreeMap<>();
        for (Cell cell : cells) {
            double y = metric.value().applyAsDouble(cell);
            if (Double.isNaN(y) || y < 0) {
                continue;
            }
            String server = cell.server().equals("meshpilot") ? "" : " (jcp)";
            String name = versusServices ? cell.scope() + ", " + cell.clients() + " proxies" + server
                    : cell.scope() + ", " + cell.services() + " svc" + server;
            double x = versusServices ? cell.services() : cell.clients();
            series.computeIfAbsent(name, k -> new TreeMap<>()).put(x, y);
        }
        Map<String, List<SvgChart.Point>> points = new TreeMap<>();
        series.forEach((name, byX) -> points.put(name,
                byX.entrySet().stream().map(e -> new SvgChart.Point(e.getKey(), e.getValue())).toList()));
        String title = metric.title() + (versusServices ? " vs services" : " vs proxies");
        return new SvgChart(title, versusServices ? "services" : "connected proxies", metric.unit(), points).render();
    }

    static List<Cell> read(Path runs, Path events) throws IOException {
        Map<String, Double> endpointP99 = new HashMap<>();
        if (Files.exists(events)) {
            List<Map<String, String>> rows = csv(events);
            for (Map<String, String> row : rows) {
                if (row.get("event").equals("endpoint") && !row.get("p99_ms").isEmpty()) {
                    endpointP99.merge(row.get("server") + "|" + row.get("label"), Double.parseDouble(row.get("p99_ms")),
                            Math::max);
                }
            }
        }
        Map<String, Cell> byKey = new TreeMap<>();
        for (Map<String, String> row : csv(runs)) {
            Function<String, Double> num = k -> row.get(k) == null || row.get(k).isEmpty() ? Double.NaN
                    : Double.parseDouble(row.get(k));
            Cell cell = new Cell(row.get("server"), row.get("label"), (int) (double) num.apply("services"),
                    (int) (double) num.apply("clients"), row.get("scope"), num.apply("cold_all_ms") / 1000,
                    num.apply("cpu_s"), num.apply("heap_after_gc_mb"),
                    endpointP99.getOrDefault(row.get("server") + "|" + row.get("label"), Double.NaN));
            if (!"envoy-sotw".equals(row.get("client_kind"))) {
                continue; // plots compare like with like: Envoy state-of-the-world runs only (the table has all)
            }
            byKey.put(cell.server() + "|" + cell.label(), cell);
        }
        return new ArrayList<>(byKey.values());
    }

    private static List<Map<String, String>> csv(Path file) throws IOException {
        return GridTable.csv(file);
    }

    private static void write(Path file, String svg) throws IOException {
        Files.writeString(file, svg);
    }
}
