package dev.meshpilot.cli.analyze;

import dev.meshpilot.cli.UserException;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.insight.footprint.DumpMeasurement;
import dev.meshpilot.insight.footprint.ProxyFootprint;
import dev.meshpilot.insight.footprint.ResourceMeasure;
import dev.meshpilot.insight.model.EnvoyMemoryModel;
import dev.meshpilot.xds.dump.ConfigDumpException;
import dev.meshpilot.xds.dump.DumpNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code analyze --dump FILE|DIR}: the real proxies whose Envoy config dumps were given, one per file (a directory
 * is a mesh: every {@code *.json} below it). Which pod a dump belongs to comes from its bootstrap node (metadata
 * {@code NAME}/{@code NAMESPACE}, else the id {@code sidecar~IP~POD.NS~...}), or {@code --proxy} for a single dump
 * without one. Gateways ({@code router} nodes) are not sidecars: a lone gateway dump is refused, a gateway in a
 * directory skipped with a note.
 */
final class DumpedProxies {

    /** One dumped sidecar: its {@code POD.NS} and what its dump holds. */
    record Dumped(String pod, String namespace, DumpMeasurement measurement) {
        String proxyId() {
            return pod + "." + namespace;
        }

        ProxyFootprint footprint(EnvoyMemoryModel model) {
            return new ProxyFootprint(proxyId(), namespace, ProxyKind.SIDECAR, "dump", measurement.counts(),
                    measurement.bytes(), Optional.of(model.estimate(measurement.counts())));
        }
    }

    private DumpedProxies() {
    }

    /** Measures every dump under {@code path}; problems that skip a file are added to {@code notes}. */
    static List<Dumped> measure(Path path, String proxyOption, ResourceMeasure measure, List<String> notes) {
        List<Path> files = files(path);
        boolean single = files.size() == 1 && !Files.isDirectory(path);
        if (proxyOption != null && !single) {
            throw new UserException("analyze: --proxy names the pod of one dump file; " + path
                    + " is a directory (each dump's bootstrap must name its pod)");
        }
        List<Dumped> dumped = new ArrayList<>();
        for (Path file : files) {
            DumpMeasurement m;
            try {
                m = DumpMeasurement.of(file, measure);
            } catch (ConfigDumpException e) {
                throw new UserException("analyze --dump: " + e.getMessage());
            }
            m.read().notes().forEach(notes::add);
            DumpNode node = m.node().orElse(DumpNode.NONE);
            if ("router".equals(node.nodeType())) {
                String message = file + " is a gateway's dump (node " + node.id() + "): analyze --dump measures "
                        + "sidecars; proxy-config --file renders gateways";
                if (single) {
                    throw new UserException("analyze: " + message);
                }
                notes.add("skipped " + message);
                continue;
            }
            if (!m.read().hasEndpoints()) {
                notes.add(file + " has no endpoints section (take dumps with /config_dump?include_eds): its "
                        + "endpoints are not counted");
            }
            String[] pod = pod(file, node, proxyOption);
            dumped.add(new Dumped(pod[0], pod[1], m));
        }
        if (dumped.isEmpty()) {
            throw new UserException("analyze: no sidecar dump under " + path);
        }
        return dumped;
    }

    private static String[] pod(Path file, DumpNode node, String proxyOption) {
        if (proxyOption != null) {
            int dot = proxyOption.lastIndexOf('.');
            if (dot <= 0 || dot == proxyOption.length() - 1) {
                throw new UserException("analyze: --proxy must be POD.NAMESPACE, got '" + proxyOption + "'");
            }
            return new String[] {proxyOption.substring(0, dot), proxyOption.substring(dot + 1)};
        }
        Optional<String> pod = node.podName();
        Optional<String> ns = node.namespace();
        if (pod.isEmpty() || ns.isEmpty()) {
            throw new UserException("analyze: " + file + " does not say which pod it belongs to (its bootstrap "
                    + (node == DumpNode.NONE ? "is missing" : "node '" + node.id() + "' names no pod")
                    + "); give that file alone with --proxy POD.NAMESPACE");
        }
        return new String[] {pod.get(), ns.get()};
    }

    private static List<Path> files(Path path) {
        if (!Files.exists(path)) {
            throw new UserException("analyze: --dump " + path + " does not exist");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> walk = Files.walk(path)) {
            List<Path> files = walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".json"))
                    .sorted().toList();
            if (files.isEmpty()) {
                throw new UserException("analyze: --dump " + path + " holds no *.json config dump");
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
    }

    /**
     * The workload row id ({@code NS/NAME}) a pod of the registry is measured under: its Deployment or
     * StatefulSet, else the bare pod; empty when the registry does not know the pod.
     */
    static Optional<String> workloadId(MeshSnapshot snapshot, Dumped proxy, Map<String, ?> rows) {
        Optional<WorkloadInstance> pod = snapshot.findWorkload(proxy.pod(), proxy.namespace());
        if (pod.isEmpty()) {
            return Optional.empty();
        }
        String owner = proxy.namespace() + "/" + pod.get().workloadName();
        if (!pod.get().workloadName().isEmpty() && rows.containsKey(owner)) {
            return Optional.of(owner);
        }
        String bare = proxy.namespace() + "/" + proxy.pod();
        return rows.containsKey(bare) ? Optional.of(bare) : Optional.empty();
    }
}
