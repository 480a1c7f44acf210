package dev.meshpilot.bench.run;

import dev.meshpilot.bench.client.ProxyNode;
import dev.meshpilot.bench.client.SimClient;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.xds.naming.ClusterName;
import dev.meshpilot.xds.naming.XdsType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The changes a run makes to the registry directory, the way an operator (or the Kubernetes API) would: each is
 * one file written atomically (temp file, then rename), and {@link #reset()} undoes them all. Targets are chosen
 * deterministically: the namespace holding most simulated clients, its first Service, another namespace to import.
 */
public final class RegistryEvents {

    /** The kinds of change a run measures. */
    public enum Kind {
        ENDPOINT("endpoint"), NEW_SERVICE("new-service"), SIDECAR("sidecar"), MESHCONFIG("meshconfig");

        private final String cliName;

        Kind(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }

        public static Kind fromCliName(String name) {
            for (Kind kind : values()) {
                if (kind.cliName.equals(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown event '" + name
                    + "' (endpoint, new-service, sidecar, meshconfig)");
        }
    }

    /**
     * One change about to be written: a description, the file write itself (returns the write time), and, where the
     * harness can tell on its own, which clients must see it (null: no independent expectation).
     */
    public record Change(Kind kind, String description, LongSupplier write, Predicate<SimClient> expected) {
    }

    private static final String EVENTS_DIR = "bench-events";

    private final Path registry;
    private final String namespace;
    private final MeshService service;
    private final List<String> otherNamespaces;
    private final Map<Path, String> originals = new LinkedHashMap<>();
    private final List<Path> created = new ArrayList<>();
    private final LongSupplier clock;

    private final String scope;
    private final boolean proxyless;

    /**
     * @param scope     none, namespace, traffic (how the mesh was generated) or custom; it decides which clients the
     *                  harness expects to change on a new Service or a namespace Sidecar
     * @param proxyless proxyless clients only hold the listeners they name, so only endpoint changes are expected
     */
    public RegistryEvents(Path registry, MeshSnapshot snapshot, List<ProxyNode> clients, LongSupplier clock,
                          String scope, boolean proxyless) {
        this.registry = registry;
        this.clock = clock;
        this.scope = scope;
        this.proxyless = proxyless;
        Map<String, Long> perNamespace = clients.stream()
                .collect(Collectors.groupingBy(ProxyNode::namespace, TreeMap::new, Collectors.counting()));
        String busiest = null;
        long most = 0;
        for (Map.Entry<String, Long> entry : perNamespace.entrySet()) {
            if (entry.getValue() > most) {
                busiest = entry.getKey();
                most = entry.getValue();
            }
        }
        if (busiest == null) {
            throw new IllegalArgumentException("no clients");
        }
        this.namespace = busiest;
        this.service = snapshot.services().stream()
                .filter(s -> s.namespace().equals(namespace) && !s.ports().isEmpty() && s.isKubernetes())
                .min(Comparator.comparing(MeshService::hostname))
                .orElseThrow(() -> new IllegalArgumentException("namespace " + namespace + " has no Service"));
        this.otherNamespaces = snapshot.namespaces().stream().map(n -> n.name())
                .filter(n -> !n.equals(namespace) && !n.equals("istio-system")).sorted().toList();
    }

    public String targetNamespace() {
        return namespace;
    }

    public String targetService() {
        return service.hostname();
    }

    public Change next(Kind kind, int round) {
        return switch (kind) {
            case ENDPOINT -> endpointChange(round);
            case NEW_SERVICE -> newService(round);
            case SIDECAR -> sidecarChange(round);
            case MESHCONFIG -> meshConfigChange(round);
        };
    }

    private Change endpointChange(int round) {
        String name = shortName(service);
        StringBuilder yaml = new StringBuilder()
                .append("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n")
                .append("  name: ").append(name).append("-bench\n")
                .append("  namespace: ").append(namespace).append('\n')
                .append("  labels:\n    kubernetes.io/service-name: ").append(name).append('\n')
                .append("addressType: IPv4\nendpoints:\n")
                .append("- addresses: [\"10.250.").append(round / 250).append('.').append(round % 250 + 1).append("\"]\n")
                .append("  conditions: {ready: true}\nports:\n");
        for (ServicePort port : service.ports()) {
            yaml.append("- port: ").append(port.targetPort() > 0 ? port.targetPort() : port.port()).append('\n');
            if (!port.name().isEmpty()) {
                yaml.append("  name: ").append(port.name()).append('\n');
            }
            yaml.append("  protocol: TCP\n");
        }
        String host = service.hostname();
        return new Change(Kind.ENDPOINT, "endpoint of " + host + " -> 10.250.x." + (round % 250 + 1),
                () -> write(eventFile("endpoints-" + name + ".yaml"), yaml.toString()),
                c -> c.held(XdsType.ENDPOINT.typeUrl()).anyName(n -> n.endsWith(host)
                        && ClusterName.parse(n).filter(cluster -> cluster.hostname().equals(host)).isPresent()));
    }

    private Change newService(int round) {
        String name = "bench-new-" + round;
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Service\nmetadata:\n")
                .append("  name: ").append(name).append('\n')
                .append("  namespace: ").append(namespace).append('\n')
                .append("spec:\n  selector:\n");
        service.selector().forEach((k, v) -> yaml.append("    ").append(k).append(": \"").append(v).append("\"\n"));
        yaml.append("  ports:\n  - name: http\n    port: 8080\n");
        Predicate<SimClient> expected = proxyless ? c -> false : switch (scope) {
            case "none" -> c -> true;
            case "namespace" -> inTargetNamespace();
            case "traffic" -> c -> false;
            default -> null;
        };
        return new Change(Kind.NEW_SERVICE, "new Service " + name + "." + namespace,
                () -> write(eventFile("service-" + name + ".yaml"), yaml.toString()), expected);
    }

    private Change sidecarChange(int round) {
        String imported = otherNamespaces.isEmpty() ? "istio-system" : otherNamespaces.get(round % otherNamespaces.size());
        Optional<Path> trafficSidecars = sidecarsFileOf(namespace);
        if (trafficSidecars.isPresent()) {
            Path file = trafficSidecars.get();
            String original = originals.computeIfAbsent(file, RegistryEvents::read);
            String changed = withExtraHost(original, imported + "/*");
            return new Change(Kind.SIDECAR, "workload Sidecar in " + namespace + " also imports " + imported + "/*",
                    () -> write(file, changed), null);
        }
        String yaml = "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata:\n  name: default\n  namespace: "
                + namespace + "\nspec:\n  egress:\n  - hosts:\n    - \"./*\"\n    - \"istio-system/*\"\n    - \""
                + imported + "/*\"\n";
        Predicate<SimClient> expected = proxyless || scope.equals("custom") ? null : inTargetNamespace();
        return new Change(Kind.SIDECAR, "namespace Sidecar of " + namespace + " imports ./*, istio-system/*, "
                + imported + "/*", () -> write(eventFile("sidecar-" + namespace + ".yaml"), yaml), expected);
    }

    private Change meshConfigChange(int round) {
        String mode = round % 2 == 0 ? "REGISTRY_ONLY" : "ALLOW_ANY";
        String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\n  namespace: istio-system\ndata:\n"
                + "  mesh: |\n    outboundTrafficPolicy:\n      mode: " + mode + "\n";
        return new Change(Kind.MESHCONFIG, "MeshConfig outboundTrafficPolicy " + mode,
                () -> write(registry.resolve("istio-system").resolve("bench-meshconfig.yaml"), yaml),
                proxyless ? null : c -> true);
    }

    private Predicate<SimClient> inTargetNamespace() {
        return c -> c.proxy().namespace().equals(namespace);
    }

    /** The first Sidecar of the file that imports something gets one more host. */
    static String withExtraHost(String sidecars, String host) {
        String[] docs = sidecars.split("(?m)^---\n", -1);
        for (int i = 0; i < docs.length; i++) {
            if (!docs[i].contains("~/*") && docs[i].contains("  - hosts:\n")) {
                docs[i] = docs[i].replaceFirst("  - hosts:\n", "  - hosts:\n    - \"" + host.replace("$", "\\$") + "\"\n");
                return String.join("---\n", docs);
            }
        }
        return sidecars;
    }

    private Optional<Path> sidecarsFileOf(String ns) {
        try (Stream<Path> files = Files.walk(registry)) {
            return files.filter(f -> f.getFileName().toString().equals("sidecars.yaml"))
                    .filter(f -> read(f).contains("namespace: " + ns + "\n")).sorted().findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path eventFile(String name) {
        return registry.resolve(EVENTS_DIR).resolve(name);
    }

    private long write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                created.add(file);
            }
            Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(temp, text);
            long now = clock.getAsLong();
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return now;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Deletes the files the events created and restores the ones they changed. */
    public synchronized void reset() {
        try {
            for (Path file : created) {
                Files.deleteIfExists(file);
            }
            created.clear();
            for (Map.Entry<Path, String> original : originals.entrySet()) {
                Files.writeString(original.getKey(), original.getValue());
            }
            originals.clear();
            Files.deleteIfExists(registry.resolve(EVENTS_DIR));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shortName(MeshService service) {
        return service.hostname().substring(0, service.hostname().indexOf('.'));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
