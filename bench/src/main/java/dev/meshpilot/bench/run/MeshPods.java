package dev.meshpilot.bench.run;

import dev.meshpilot.bench.client.ProxyNode;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.kube.directory.MeshLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The pods of a generated registry directory as simulated proxies: read with the product's own loader (so names,
 * labels and made-up IPs are the ones the server knows), plus, for proxyless clients, the {@code FQDN:PORT}
 * listeners each workload calls according to the {@code edges.csv} files.
 */
public final class MeshPods {

    private MeshPods() {
    }

    public record Loaded(MeshSnapshot snapshot, List<ProxyNode> pods) {
    }

    public static Loaded load(Path registry) {
        MeshSnapshot snapshot = MeshLoader.load(registry).snapshot();
        Map<String, TreeSet<String>> calls = calls(registry);
        java.util.Set<String> udp = new java.util.HashSet<>();
        snapshot.services().forEach(s -> s.ports().stream()
                .filter(p -> p.protocol() == dev.meshpilot.core.model.Protocol.UDP)
                .forEach(p -> udp.add(s.hostname() + ":" + p.port())));
        List<ProxyNode> pods = new ArrayList<>();
        for (WorkloadInstance pod : snapshot.workloads()) {
            // A gRPC client calls TCP services only (Jaeger's UDP agent port is not a gRPC target).
            TreeSet<String> listeners = new TreeSet<>(calls.getOrDefault(pod.namespace() + "/" + pod.workloadName(),
                    new TreeSet<>()));
            listeners.removeAll(udp);
            if (listeners.isEmpty()) {
                // A workload that calls nothing asks for its own service, as a health checker would.
                snapshot.servicesSelecting(pod).stream()
                        .flatMap(s -> s.ports().stream().map(p -> s.hostname() + ":" + p.port()))
                        .filter(name -> !udp.contains(name)).findFirst().ifPresent(listeners::add);
            }
            pods.add(new ProxyNode(pod.name(), pod.namespace(), pod.labels(), pod.ip(), List.copyOf(listeners)));
        }
        return new Loaded(snapshot, pods);
    }

    /** {@code count} pods spread evenly over the sorted list (every namespace gets its share). */
    public static List<ProxyNode> spread(List<ProxyNode> pods, int count) {
        if (count > pods.size()) {
            throw new IllegalArgumentException("the registry has " + pods.size() + " pods but " + count
                    + " clients were asked for; generate with a larger --replicas-factor");
        }
        List<ProxyNode> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(pods.get((int) ((long) i * pods.size() / count)));
        }
        return out;
    }

    /** Per {@code NAMESPACE/WORKLOAD} the {@code FQDN:PORT} it calls, from every edges.csv under the registry. */
    public static Map<String, TreeSet<String>> calls(Path registry) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(registry)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("edges.csv")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    String[] cells = line.split(",", 5);
                    if (cells.length < 4 || cells[0].equals("source_workload")) {
                        continue;
                    }
                    out.computeIfAbsent(cells[1] + "/" + cells[0], k -> new TreeSet<>()).add(cells[2] + ":" + cells[3]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
