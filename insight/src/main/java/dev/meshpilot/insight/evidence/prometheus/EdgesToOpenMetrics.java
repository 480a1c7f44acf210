package dev.meshpilot.insight.evidence.prometheus;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.insight.whatif.TrafficEdge;
import dev.meshpilot.insight.whatif.TrafficEdges;
import dev.meshpilot.insight.whatif.TrafficFileException;
import dev.meshpilot.kube.directory.LoadedMesh;
import dev.meshpilot.kube.directory.MeshLoader;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes the Istio metrics a mesh would have produced for the calls of an edges file, as source-side sidecars
 * report them, over several days, as OpenMetrics (for {@code scripts/edges-to-prometheus-tsdb}, which hands the file
 * to {@code promtool}). The destination Service's port decides the metric as Istio's protocol selection does
 * ({@code appProtocol}, then the port name's prefix, else TCP): gRPC ports give {@code istio_requests_total} with
 * {@code request_protocol="grpc"}, other HTTP-family ports {@code request_protocol="http"}, the rest
 * {@code istio_tcp_connections_closed_total}. A host the registry does not know goes to PassthroughCluster; on a
 * port some service declares as HTTP, Istio keeps the host header in {@code destination_service}, otherwise it is
 * {@code unknown} (a TCP passthrough call does not name its destination).
 *
 * <p>The series cover the {@code --days} whole UTC days before {@code --end} (a midnight, by default today's; an
 * instant within a day counts as the following midnight). Each edge is active on the last day and on a
 * deterministic, edge-dependent choice of the earlier days, with an edge-dependent number of calls per active day;
 * inactive days still carry the series (flat), so a reader sees the workload reported on them.
 */
public final class EdgesToOpenMetrics {

    static final String USAGE = "usage: EdgesToOpenMetrics --registry DIR --traffic EDGES.csv --out FILE.om "
            + "[--end INSTANT] [--days N]";

    /** The counters of one edges file and what could not be kept. */
    public record Synthesis(List<IstioCounter> counters, List<String> notes) {
        public Synthesis {
            counters = List.copyOf(counters);
            notes = List.copyOf(notes);
        }
    }

    private EdgesToOpenMetrics() {
    }

    /** The counters for {@code edges}, over the {@code days} UTC days ending with {@code lastDay}. */
    public static Synthesis counters(List<TrafficEdge> edges, MeshSnapshot registry, LocalDate lastDay, int days) {
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1, got " + days);
        }
        List<IstioCounter> counters = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (TrafficEdge edge : edges) {
            Map<String, String> labels = new TreeMap<>();
            labels.put("reporter", "source");
            labels.put("source_workload", edge.sourceWorkload());
            labels.put("source_workload_namespace", edge.sourceNamespace());
            labels.put("source_canonical_service", edge.sourceWorkload());
            labels.put("connection_security_policy", "unknown");
            labels.put("response_flags", "-");
            Optional<MeshService> service = registry.servicesNamed(edge.host()).stream().findFirst();
            Protocol protocol;
            if (service.isPresent()) {
                protocol = service.get().ports().stream().filter(p -> p.port() == edge.port())
                        .map(ServicePort::protocol).findFirst().orElse(Protocol.TCP);
                labels.put("destination_service", edge.host());
                labels.put("destination_service_name", service.get().name());
                labels.put("destination_service_namespace", service.get().namespace());
            } else {
                protocol = httpPortSomewhere(registry, edge.port()) ? Protocol.HTTP : Protocol.TCP;
                labels.put("destination_service", protocol.isHttp() ? edge.host() + ":" + edge.port() : "unknown");
                labels.put("destination_service_name", "PassthroughCluster");
                labels.put("destination_service_namespace", "unknown");
                if (!protocol.isHttp()) {
                    notes.add("line " + edge.line() + ": " + edge.target() + " is not in the registry and not on an "
                            + "HTTP port: written as TCP to PassthroughCluster, which names no destination");
                }
            }
            String metric;
            if (protocol.isHttp()) {
                metric = IstioMetricQueries.REQUESTS;
                labels.put("request_protocol", protocol == Protocol.GRPC ? "grpc" : "http");
                labels.put("response_code", "200");
            } else {
                metric = IstioMetricQueries.TCP_CLOSED;
                labels.put("request_protocol", "tcp");
            }
            counters.add(IstioCounter.of(metric, labels, activity(edge, lastDay, days)));
        }
        return new Synthesis(sameSeriesSummed(counters), notes);
    }

    /**
     * Edges that differ only in port (Istio's metrics carry none) make one series, as the sidecar would count them:
     * their calls per day are summed. Order is kept.
     */
    private static List<IstioCounter> sameSeriesSummed(List<IstioCounter> counters) {
        Map<List<Object>, IstioCounter> series = new LinkedHashMap<>();
        for (IstioCounter c : counters) {
            series.merge(List.of(c.metric(), c.labels()), c, (a, b) -> {
                Map<LocalDate, Long> calls = new TreeMap<>(a.callsPerDay());
                b.callsPerDay().forEach((day, n) -> calls.merge(day, n, Long::sum));
                return IstioCounter.of(a.metric(), a.labels(), calls);
            });
        }
        return new ArrayList<>(series.values());
    }

    /** Active on the last day and on the earlier days the edge's hash picks; 10 to 1000 calls a day. */
    private static Map<LocalDate, Long> activity(TrafficEdge edge, LocalDate lastDay, int days) {
        long hash = (edge.sourceNamespace() + "/" + edge.sourceWorkload() + "->" + edge.target()).hashCode() & 0xffffffffL;
        Map<LocalDate, Long> calls = new TreeMap<>();
        long perDay = 10 + hash % 991;
        for (int back = 0; back < days; back++) {
            if (back == 0 || ((hash >>> (back % 31)) & 1) == 1) {
                calls.put(lastDay.minusDays(back), perDay);
            }
        }
        return calls;
    }

    private static boolean httpPortSomewhere(MeshSnapshot registry, int port) {
        return registry.services().stream().flatMap(s -> s.ports().stream())
                .anyMatch(p -> p.port() == port && p.protocol().isHttp());
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException | TrafficFileException e) {
            System.err.println("edges-to-prometheus-tsdb: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args) {
        Map<String, String> options = options(args);
        Path registryDir = Path.of(required(options, "--registry"));
        Path traffic = Path.of(required(options, "--traffic"));
        Path out = Path.of(required(options, "--out"));
        Instant end = instant(options.getOrDefault("--end",
                LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant().toString()));
        int days = integer(options.getOrDefault("--days", "7"));
        LoadedMesh mesh = MeshLoader.load(registryDir);
        if (!mesh.errors().isEmpty()) {
            System.err.println("edges-to-prometheus-tsdb: " + registryDir + ": " + mesh.errors().size()
                    + " errors, first: " + mesh.errors().get(0));
            return 2;
        }
        List<TrafficEdge> edges = TrafficEdges.read(traffic);
        LocalDate lastDay = LocalDate.ofInstant(end.minusNanos(1), ZoneOffset.UTC);
        Synthesis synthesis = counters(edges, mesh.snapshot(), lastDay, days);
        try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            OpenMetricsWriter.write(writer, synthesis.counters(), lastDay.minusDays(days - 1L), lastDay);
        } catch (IOException e) {
            System.err.println("edges-to-prometheus-tsdb: cannot write " + out + ": " + e.getMessage());
            return 1;
        }
        synthesis.notes().forEach(n -> System.err.println("edges-to-prometheus-tsdb: " + n));
        System.out.println("wrote " + synthesis.counters().size() + " series for " + edges.size() + " edges, "
                + days + " days " + lastDay.minusDays(days - 1L) + ".." + lastDay + " (calls 06:00-18:00 UTC), to "
                + out);
        return 0;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!List.of("--registry", "--traffic", "--out", "--end", "--days").contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'\n" + USAGE);
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name + "\n" + USAGE);
        }
        return value;
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--end is an instant like 2026-12-01T00:00:00Z, got '" + value + "'");
        }
    }

    private static int integer(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1 || n > 366) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--days is a number from 1 to 366, got '" + value + "'");
        }
    }
}
