package dev.meshpilot.bench.learn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.bench.client.ClientFleet;
import dev.meshpilot.bench.client.ClientKind;
import dev.meshpilot.bench.client.Convergence;
import dev.meshpilot.bench.client.EventOutcome;
import dev.meshpilot.bench.client.HeldConfig;
import dev.meshpilot.bench.client.ProxyNode;
import dev.meshpilot.bench.client.RunClock;
import dev.meshpilot.bench.client.SimClient;
import dev.meshpilot.bench.run.MeshPods;
import dev.meshpilot.bench.run.Percentiles;
import dev.meshpilot.bench.run.ServerProcess;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.ServiceEndpoint;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A learning run: the packaged server with {@code --scoping learned|shadow}, one simulated Envoy per pod, each
 * making the calls of {@code edges.csv} for its workload through the path its current configuration gives
 * ({@link CallPath}) and reporting each call as an access-log entry over its own {@code StreamAccessLogs} stream.
 * <ol>
 *   <li>cold: all proxies connect and converge (clusters counted);</li>
 *   <li>the first re-evaluation runs with an empty ledger (wait for {@code /debug/learnz evaluatedAt}) and the
 *       fleet settles (clusters counted: learned mode narrows every workload to what it was seen calling: nothing);</li>
 *   <li>workload by workload: its proxies make all their calls; a fallback call starts a clock for the service's
 *       {@code outbound|PORT||FQDN} cluster, stopped when that proxy ACKs a CDS response holding it; then the fleet
 *       settles, and every other workload's proxy that changed since the step began is a push outside the learning
 *       workload;</li>
 *   <li>one more re-evaluation, settle, clusters counted; every call decided again (all must be in scope).</li>
 * </ol>
 */
public final class LearningHarness {

    /** What to run. */
    public record Settings(Path registry, Path jar, String mode, String reevaluate, String flush, String heap,
                           Path serverLog, String label, Duration convergeTimeout, Duration ackTimeout,
                           Duration quiet, long oracleClusters, long upperBoundClusters,
                           boolean connectAfterReevaluation) {
    }

    /** One call of a workload: destination, its address (VIP), and whether the port is HTTP-family / gRPC. */
    record Call(String host, int port, String address, boolean grpc) {
        String cluster() {
            return "outbound|" + port + "||" + host;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SYSTEM_NAMESPACE = "istio-system";
    private static final Pattern WIDEN_PUSH =
            Pattern.compile("reason=learning-widen keys=\\[([^\\]]*)\\]: pushed (\\d+) of");

    private final PrintStream log;

    public LearningHarness(PrintStream log) {
        this.log = log;
    }

    public LearningResult run(Settings settings) throws InterruptedException {
        long startNanos = System.nanoTime();
        MeshPods.Loaded mesh = MeshPods.load(settings.registry());
        MeshSnapshot snapshot = mesh.snapshot();
        Map<String, TreeSet<String>> edges = MeshPods.calls(settings.registry());
        Map<String, List<Call>> callsByWorkload = calls(snapshot, edges);
        int edgeCount = edges.values().stream().mapToInt(TreeSet::size).sum();
        int callEdges = callsByWorkload.values().stream().mapToInt(List::size).sum();
        log.printf("[learning %s] edges.csv: %d distinct (workload, host:port) edges, %d to a registered TCP/HTTP "
                + "service port (the rest: UDP ports, which sidecars do not capture, or undeclared ports/hosts)%n",
                settings.mode(), edgeCount, callEdges);
        Map<String, String> workloadOfPod = new HashMap<>();
        for (WorkloadInstance pod : snapshot.workloads()) {
            String name = pod.workloadName().isEmpty() ? pod.name() : pod.workloadName();
            workloadOfPod.put(pod.name() + "." + pod.namespace(), pod.namespace() + "/" + name);
        }
        // The control plane's namespace runs no sidecar (the footprint analyser leaves it out too).
        List<ProxyNode> proxies = mesh.pods().stream()
                .filter(p -> !p.namespace().equals(SYSTEM_NAMESPACE)).toList();
        RunClock clock = new RunClock();
        List<String> failures = new ArrayList<>();
        List<String> serve = List.of("--scoping", settings.mode(), "--learning-reevaluate-interval",
                settings.reevaluate(), "--access-log-flush-interval", settings.flush());
        long logStart = logSize(settings.serverLog()); // the log is appended to: read this run's part only
        try (ServerProcess server = ServerProcess.meshpilot(settings.jar(), settings.registry(), settings.heap(),
                settings.serverLog(), serve);
             ClientFleet fleet = new ClientFleet("127.0.0.1", server.xdsPort(), proxies, ClientKind.ENVOY_SOTW, 1,
                     clock)) {
            double cpuBefore = server.cpuSeconds();
            log.printf("[learning %s] %s: %d proxies, %d workloads with calls, %d calls; pid %d%n", settings.mode(),
                    settings.label(), proxies.size(), callsByWorkload.size(),
                    callsByWorkload.values().stream().mapToInt(List::size).sum(), server.pid());
            if (settings.connectAfterReevaluation()) {
                // proxies (re)connecting to a server that already serves learned scopes
                log.printf("[learning %s] first re-evaluation at %s; connecting now%n", settings.mode(),
                        awaitReevaluation(server, "", Duration.ofSeconds(60)));
            }
            fleet.startAll(0);
            Convergence cold = fleet.awaitConvergence(settings.convergeTimeout());
            failures.addAll(cold.failures());
            long coldClusters = clusters(fleet);
            boolean evaluatedAtCold = !learnz(server).path("evaluatedAt").asText("").isEmpty();
            log.printf("[learning %s] cold: %d/%d converged in %.0f ms, %d clusters over all proxies%s%n",
                    settings.mode(), cold.convergedNanos().size(), cold.clients(), cold.allNanos() / 1e6, coldClusters,
                    evaluatedAtCold ? " (the first re-evaluation had already run)" : "");

            String evaluatedAt = awaitReevaluation(server, "", Duration.ofSeconds(60));
            settle(fleet, clock, settings.quiet(), Duration.ofSeconds(60));
            long narrowedClusters = clusters(fleet);
            log.printf("[learning %s] after the first re-evaluation (%s): %d clusters%n", settings.mode(), evaluatedAt,
                    narrowedClusters);

            Map<String, AccessLogStream> streams = new LinkedHashMap<>();
            Map<String, List<SimClient>> byWorkload = new TreeMap<>();
            for (SimClient client : fleet.clients()) {
                streams.put(client.proxy().proxyId(), new AccessLogStream(client));
                byWorkload.computeIfAbsent(workloadOfPod.get(client.proxy().proxyId()), k -> new ArrayList<>())
                        .add(client);
            }
            int inScope = 0;
            int fallback = 0;
            int noPath = 0;
            int widened = 0;
            int ownPushed = 0;
            int outside = 0;
            List<String> outsideExamples = new ArrayList<>();
            List<String> noPathExamples = new ArrayList<>();
            TreeMap<String, Integer> fallbackVias = new TreeMap<>();
            int step = 0;
            for (Map.Entry<String, List<SimClient>> w : byWorkload.entrySet()) {
                List<Call> calls = callsByWorkload.getOrDefault(w.getKey(), List.of());
                if (calls.isEmpty()) {
                    continue;
                }
                if (++step % 25 == 0) {
                    log.printf("[learning %s] %d workloads called so far (%d fallback calls)%n", settings.mode(),
                            step, fallback);
                }
                long stepNanos = clock.now();
                fleet.mark(stepNanos);
                boolean anyFallback = false;
                for (SimClient client : w.getValue()) {
                    HeldConfig held = client.heldConfig();
                    List<HTTPAccessLogEntry> http = new ArrayList<>();
                    List<TCPAccessLogEntry> tcp = new ArrayList<>();
                    for (Call call : calls) {
                        long callNanos = clock.now();
                        CallPath path = CallPath.decide(held, call.host(), call.port(), call.address());
                        switch (path.kind()) {
                            case IN_SCOPE -> inScope++;
                            case FALLBACK -> {
                                fallback++;
                                anyFallback = true;
                                client.awaitCluster(call.cluster(), callNanos);
                                fallbackVias.merge(path.via(), 1, Integer::sum);
                            }
                            case NO_PATH -> {
                                noPath++;
                                if (noPathExamples.size() < 5) {
                                    noPathExamples.add(client.proxy().proxyId() + " -> " + call.host() + ":"
                                            + call.port() + " (" + path.via() + ")");
                                }
                                continue; // the call failed: Envoy logs a 503/reset, with no upstream to learn
                            }
                        }
                        AccessLogCommon common = AccessLogStream.common(path.cluster(), call.address(), call.port(),
                                client.proxy().ip(), System.currentTimeMillis());
                        if (path.httpEntry()) {
                            http.add(AccessLogStream.http(common, call.host(), call.port(), call.grpc()));
                        } else {
                            tcp.add(AccessLogStream.tcp(common));
                        }
                    }
                    streams.get(client.proxy().proxyId()).send(http, tcp);
                }
                if (!anyFallback) {
                    continue;
                }
                widened++;
                long deadline = clock.now() + settings.ackTimeout().toNanos();
                while (clock.now() < deadline && w.getValue().stream().anyMatch(c -> !c.awaitedClusters().isEmpty())) {
                    Thread.sleep(5);
                }
                settle(fleet, clock, settings.quiet(), Duration.ofSeconds(20));
                List<EventOutcome> outcomes = fleet.clients().stream().map(SimClient::outcome).toList();
                for (int i = 0; i < outcomes.size(); i++) {
                    SimClient client = fleet.clients().get(i);
                    if (!outcomes.get(i).changed()) {
                        continue;
                    }
                    if (w.getValue().contains(client)) {
                        ownPushed++;
                    } else {
                        outside++;
                        if (outsideExamples.size() < 5) {
                            outsideExamples.add(client.proxy().proxyId() + " during " + w.getKey());
                        }
                    }
                }
            }
            List<Long> latencies = new ArrayList<>();
            int neverAcked = 0;
            for (SimClient client : fleet.clients()) {
                latencies.addAll(client.clusterAckLatencies().values());
                neverAcked += client.awaitedClusters().size();
            }
            log.printf("[learning %s] calls: %d in scope, %d through a fallback, %d without a path%s; %d workloads "
                            + "widened, %d fallback clusters ACKed, %d never%n", settings.mode(), inScope, fallback,
                    noPath, noPathExamples.isEmpty() ? "" : " " + noPathExamples, widened, latencies.size(),
                    neverAcked);

            awaitReevaluation(server, learnz(server).path("evaluatedAt").asText(""), Duration.ofSeconds(60));
            settle(fleet, clock, settings.quiet(), Duration.ofSeconds(60));
            long finalClusters = clusters(fleet);
            long peakClusters = fleet.clients().stream().mapToLong(SimClient::peakClusters).sum();
            int fallbackAfter = 0;
            int noPathAfter = 0;
            for (Map.Entry<String, List<SimClient>> w : byWorkload.entrySet()) {
                for (SimClient client : w.getValue()) {
                    HeldConfig held = client.heldConfig();
                    for (Call call : callsByWorkload.getOrDefault(w.getKey(), List.of())) {
                        CallPath path = CallPath.decide(held, call.host(), call.port(), call.address());
                        if (path.kind() == CallPath.Kind.FALLBACK) {
                            fallbackAfter++;
                        } else if (path.kind() == CallPath.Kind.NO_PATH) {
                            noPathAfter++;
                        }
                    }
                }
            }
            JsonNode learnz = learnz(server);
            long ubClusters = 0;
            long learnedClusters = 0;
            for (JsonNode wl : learnz.path("workloads")) {
                ubClusters += wl.path("upperBoundClusters").asLong();
                learnedClusters += wl.path("learnedClusters").asLong();
            }
            int[] widenPushes = widenPushes(settings.serverLog(), logStart, byWorkload);
            for (AccessLogStream stream : streams.values()) {
                if (stream.failure() != null && failures.size() < 5) {
                    failures.add("access log: " + stream.failure());
                }
                stream.close();
            }
            for (SimClient client : fleet.clients()) {
                if (client.failure() != null && failures.size() < 5) {
                    failures.add(client.proxy().proxyId() + ": " + client.failure());
                }
            }
            int totalCalls = callsByWorkload.entrySet().stream()
                    .mapToInt(e -> e.getValue().size() * byWorkload.getOrDefault(e.getKey(), List.of()).size()).sum();
            return new LearningResult(settings.label(), settings.mode(), proxies.size(), byWorkload.size(),
                    totalCalls, settings.oracleClusters(), settings.upperBoundClusters(), peakClusters, coldClusters,
                    narrowedClusters, finalClusters, inScope, fallback, noPath, fallbackAfter, noPathAfter,
                    Percentiles.ofNanos(latencies), latencies.size(), neverAcked, widened, ownPushed, outside,
                    outsideExamples, Map.copyOf(fallbackVias), widenPushes[0], widenPushes[1], widenPushes[2], ubClusters, learnedClusters, learnz.path("distinctScopes").asInt(),
                    learnz.path("learnedEdges").asInt(), server.cpuSeconds() - cpuBefore,
                    (System.nanoTime() - startNanos) / 1e9, failures);
        }
    }

    /** The calls of each workload that reach a registered TCP-or-HTTP service port (UDP and unknown hosts left out). */
    static Map<String, List<Call>> calls(MeshSnapshot snapshot, Map<String, TreeSet<String>> edges) {
        Map<String, List<Call>> out = new TreeMap<>();
        edges.forEach((workload, targets) -> {
            List<Call> calls = new ArrayList<>();
            for (String target : targets) {
                int colon = target.lastIndexOf(':');
                String host = target.substring(0, colon);
                int port = Integer.parseInt(target.substring(colon + 1));
                for (MeshService service : snapshot.servicesNamed(host)) {
                    ServicePort sp = service.ports().stream().filter(p -> p.port() == port).findFirst().orElse(null);
                    if (sp == null || sp.protocol() == Protocol.UDP) {
                        continue;
                    }
                    String address = service.addresses().isEmpty() ? endpointAddress(snapshot, service, sp)
                            : service.addresses().get(0);
                    if (address == null) {
                        continue;
                    }
                    calls.add(new Call(host, port, address, sp.protocol() == Protocol.GRPC));
                    break;
                }
            }
            if (!calls.isEmpty()) {
                out.put(workload, List.copyOf(calls));
            }
        });
        return out;
    }

    /**
     * The server's own push summaries of widenings ({@code reason=learning-widen keys=[LEARNED_SCOPE/NS/NAME,…]:
     * pushed N of M proxies}): how many there were, proxies pushed in all, and proxies pushed beyond those of the
     * widened workloads.
     */
    static int[] widenPushes(Path serverLog, long fromByte, Map<String, List<SimClient>> byWorkload) {
        int pushes = 0;
        int pushed = 0;
        int beyond = 0;
        try {
            byte[] bytes = java.nio.file.Files.readAllBytes(serverLog);
            String text = new String(bytes, (int) Math.min(fromByte, bytes.length),
                    (int) (bytes.length - Math.min(fromByte, bytes.length)), java.nio.charset.StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                Matcher m = WIDEN_PUSH.matcher(line);
                if (!m.find()) {
                    continue;
                }
                int own = 0;
                for (String key : m.group(1).split(",")) {
                    String workload = key.trim().replaceFirst("^LEARNED_SCOPE/", "");
                    own += byWorkload.getOrDefault(workload, List.of()).size();
                }
                int n = Integer.parseInt(m.group(2));
                pushes++;
                pushed += n;
                beyond += Math.max(0, n - own);
            }
        } catch (java.io.IOException e) {
            return new int[] {-1, -1, -1};
        }
        return new int[] {pushes, pushed, beyond};
    }

    private static long logSize(Path log) {
        try {
            return java.nio.file.Files.exists(log) ? java.nio.file.Files.size(log) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static String endpointAddress(MeshSnapshot snapshot, MeshService service, ServicePort port) {
        List<ServiceEndpoint> endpoints = snapshot.endpointsOf(service, port);
        return endpoints.isEmpty() ? null : endpoints.get(0).address();
    }

    private static long clusters(ClientFleet fleet) {
        long total = 0;
        for (SimClient client : fleet.clients()) {
            total += client.heldConfig().clusterCount();
        }
        return total;
    }

    private static JsonNode learnz(ServerProcess server) {
        try {
            return JSON.readTree(server.debugGet("/debug/learnz"));
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /** Waits (bounded) until learnz reports a re-evaluation other than {@code previous}; returns its time. */
    private static String awaitReevaluation(ServerProcess server, String previous, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String at = learnz(server).path("evaluatedAt").asText("");
            if (!at.isEmpty() && !at.equals(previous)) {
                return at;
            }
            Thread.sleep(100);
        }
        return previous;
    }

    /** Waits (bounded) until no client received anything for {@code quiet}. */
    private static void settle(ClientFleet fleet, RunClock clock, Duration quiet, Duration timeout)
            throws InterruptedException {
        long start = clock.now();
        long deadline = start + timeout.toNanos();
        while (clock.now() < deadline) {
            if (clock.now() - Math.max(clock.lastResponseNanos(), start) >= quiet.toNanos()) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
