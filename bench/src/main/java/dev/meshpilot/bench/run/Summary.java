package dev.meshpilot.bench.run;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The printed end of a run: one block per server, and peer ratios when both servers ran on the same mesh. */
final class Summary {

    private final PrintStream out;

    Summary(PrintStream out) {
        this.out = out;
    }

    void print(List<RunResult> results) {
        out.println();
        out.println("=== summary ===");
        for (RunResult r : results) {
            out.printf(Locale.ROOT, "%s  %s: %d services, %d clients (%s, scope %s)%n", r.server(), r.label(),
                    r.services(), r.clients(), r.clientKind(), r.scope());
            out.printf(Locale.ROOT, "  cold convergence: %d/%d in %.0f ms (per client p50 %.0f, p99 %.0f ms), "
                            + "server CPU %.1f s%n", r.converged(), r.clients(), r.coldAllMs(), r.coldPerClient().p50Ms(),
                    r.coldPerClient().p99Ms(), r.coldCpuSeconds());
            for (Map.Entry<String, List<EventResult>> e : byEvent(r).entrySet()) {
                List<EventResult> rounds = e.getValue();
                out.printf(Locale.ROOT, "  %-11s needed %s  p50 %s  p99 %s  max %s ms  needless %d  missed %d%n",
                        e.getKey(), rounds.stream().map(x -> Integer.toString(x.needed())).collect(Collectors.joining("/")),
                        worst(rounds, Percentiles::p50Ms), worst(rounds, Percentiles::p99Ms),
                        worst(rounds, Percentiles::maxMs), rounds.stream().mapToInt(EventResult::needless).sum(),
                        rounds.stream().mapToInt(EventResult::missed).sum());
            }
            out.printf(Locale.ROOT, "  server: CPU %.1f s total, heap after GC %.1f MB (%.1f KB/proxy), RSS %.0f MB, "
                            + "sent %.1f MB in %d responses%n", r.totalCpuSeconds(), r.heapAfterGcBytes() / 1048576.0,
                    r.heapAfterGcBytes() / 1024.0 / Math.max(1, r.clients()), r.rssBytes() / 1048576.0,
                    r.bytesSent() / 1048576.0, r.responses());
            out.printf(Locale.ROOT, "  harness (all simulated clients): CPU %.1f s, heap after GC %.1f KB/client%n",
                    r.harnessCpuSeconds(), r.harnessHeapBytes() / 1024.0 / Math.max(1, r.clients()));
            if (!r.failures().isEmpty()) {
                out.println("  stream failures: " + r.failures());
            }
        }
        Optional<RunResult> ours = results.stream().filter(r -> r.server().equals("meshpilot")).findFirst();
        Optional<RunResult> peer = results.stream().filter(r -> !r.server().equals("meshpilot")).findFirst();
        if (ours.isPresent() && peer.isPresent()) {
            RunResult a = ours.get();
            RunResult b = peer.get();
            out.printf(Locale.ROOT, "ratios (java-control-plane / meshpilot): cold convergence %.2fx, cold CPU %.2fx",
                    b.coldAllMs() / a.coldAllMs(), b.coldCpuSeconds() / a.coldCpuSeconds());
            Optional<EventResult> ea = a.events().stream().filter(e -> e.event().equals("endpoint")).findFirst();
            Optional<EventResult> eb = b.events().stream().filter(e -> e.event().equals("endpoint")).findFirst();
            if (ea.isPresent() && eb.isPresent()) {
                out.printf(Locale.ROOT, ", endpoint fan-out max %.2fx, p99 %.2fx",
                        eb.get().latency().maxMs() / ea.get().latency().maxMs(),
                        eb.get().latency().p99Ms() / ea.get().latency().p99Ms());
            }
            out.println();
        }
    }

    private static Map<String, List<EventResult>> byEvent(RunResult r) {
        return r.events().stream().collect(Collectors.groupingBy(EventResult::event, TreeMap::new, Collectors.toList()));
    }

    private static String worst(List<EventResult> rounds, java.util.function.ToDoubleFunction<Percentiles> metric) {
        return rounds.stream().map(x -> RunResult.fmt(metric.applyAsDouble(x.latency()))).collect(Collectors.joining("/"));
    }
}
