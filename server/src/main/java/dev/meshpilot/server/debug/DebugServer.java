package dev.meshpilot.server.debug;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.ScopeExplainer;
import dev.meshpilot.core.scope.ScopeExplanation;
import dev.meshpilot.insight.footprint.ProxyFootprint;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.live.LearningFootprint;
import dev.meshpilot.insight.live.LiveFootprintView;
import dev.meshpilot.insight.render.OutputFormat;
import dev.meshpilot.server.ads.ConnectionRegistry;
import dev.meshpilot.server.limits.DebugLimits;
import dev.meshpilot.server.logging.LogText;
import dev.meshpilot.server.ads.ConnectionStatus;
import dev.meshpilot.server.ads.ProxyConnection;
import dev.meshpilot.server.auth.AuthRefusals;
import dev.meshpilot.server.push.MeshState;
import dev.meshpilot.server.push.ProxyEntry;
import dev.meshpilot.server.push.PushPipeline;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * istiod's debug and monitoring endpoints on one HTTP port (R56–R61): {@code /debug/syncz},
 * {@code /debug/config_dump}, {@code /debug/registryz}, {@code /debug/scopez}, {@code /debug/adsz},
 * {@code /debug/push_status}, {@code /debug/list}, {@code /ready} and {@code /metrics}; plus {@code /debug/ledgerz}
 * (the dependency ledger, see {@link LedgerJson}), {@code /debug/footprintz} (what each connected proxy
 * holds and its estimated Envoy memory, as JSON) and {@code /ui} (the same as the footprint report's HTML page). Every handler reads the structures the server serves
 * from: the streams' published status and the push pipeline's state.
 */
public final class DebugServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DebugServer.class.getName());
    static final String CLUSTER_ID = "Kubernetes";
    /** What proxy-status shows in its ISTIOD column: {@code meshpilot-HOSTNAME}, or {@code meshpilot}. */
    static final String CONTROL_PLANE_ID = controlPlaneId();
    private static final List<String> ENDPOINTS = List.of("syncz", "config_dump", "registryz", "scopez", "adsz",
            "push_status", "footprintz", "ledgerz", "learnz", "authz");
    /** Envoy worker threads assumed by the live footprint estimate (Istio's default proxy concurrency). */
    private static final int ISTIO_DEFAULT_WORKERS = 2;

    /** Paths computed on their own pool, so debug requests cannot delay them. */
    private static final Set<String> PROBES = Set.of("/ready", "/metrics");
    /** Paths served without the bearer token: readiness tells nothing about the mesh. */
    private static final Set<String> OPEN = Set.of("/ready");

    private final HttpFront http;
    private final Map<String, Handler> routes = new LinkedHashMap<>();
    private final ConnectionRegistry connections;
    private final PushPipeline pipeline;
    private final PrometheusMeterRegistry prometheus;
    private final BooleanSupplier ready;
    private final Supplier<DependencyLedger> ledger;
    private final AuthRefusals refusals;
    private final LiveFootprintView footprints = new LiveFootprintView(ISTIO_DEFAULT_WORKERS);

    /** A debug server with {@link DebugLimits#defaults()} (no token: loopback only). */
    public DebugServer(InetSocketAddress address, ConnectionRegistry connections, PushPipeline pipeline,
                       PrometheusMeterRegistry prometheus, BooleanSupplier ready, Supplier<DependencyLedger> ledger)
            throws IOException {
        this(address, connections, pipeline, prometheus, ready, ledger, DebugLimits.defaults());
    }

    /** With {@link DebugLimits#defaults()} and these authorization refusals for {@code /debug/authz}. */
    public DebugServer(InetSocketAddress address, ConnectionRegistry connections, PushPipeline pipeline,
                       PrometheusMeterRegistry prometheus, BooleanSupplier ready, Supplier<DependencyLedger> ledger,
                       AuthRefusals refusals)
            throws IOException {
        this(address, connections, pipeline, prometheus, ready, () -> "", ledger, refusals, DebugLimits.defaults());
    }

    /** With {@link DebugLimits#defaults()}, refusals recorded in a registry of their own (tests). */
    public DebugServer(InetSocketAddress address, ConnectionRegistry connections, PushPipeline pipeline,
                       PrometheusMeterRegistry prometheus, BooleanSupplier ready, Supplier<String> readyDetail,
                       Supplier<DependencyLedger> ledger)
            throws IOException {
        this(address, connections, pipeline, prometheus, ready, readyDetail, ledger,
                new AuthRefusals(prometheus, java.time.Clock.systemUTC()), DebugLimits.defaults());
    }

    /** With these limits and refusals recorded in a registry of their own (tests). */
    public DebugServer(InetSocketAddress address, ConnectionRegistry connections, PushPipeline pipeline,
                       PrometheusMeterRegistry prometheus, BooleanSupplier ready, Supplier<DependencyLedger> ledger,
                       DebugLimits limits) throws IOException {
        this(address, connections, pipeline, prometheus, ready, () -> "", ledger,
                new AuthRefusals(prometheus, java.time.Clock.systemUTC()), limits);
    }

    /**
     * @param readyDetail one line appended to {@code /ready}'s answer (the mesh source's health: last successful
     *                    scan, current problem); empty for none
     * @param refusals    the streams refused by authorization, for {@code /debug/authz}
     * @param limits      the token and the bounds of the debug port
     * @throws IllegalArgumentException when bound to an address other than loopback without a token file, or the
     *                                  token file is empty
     * @throws IOException              when the token file cannot be read or the port cannot be bound
     */
    public DebugServer(InetSocketAddress address, ConnectionRegistry connections, PushPipeline pipeline,
                       PrometheusMeterRegistry prometheus, BooleanSupplier ready, Supplier<String> readyDetail,
                       Supplier<DependencyLedger> ledger, AuthRefusals refusals, DebugLimits limits)
            throws IOException {
        Objects.requireNonNull(readyDetail, "readyDetail");
        this.refusals = Objects.requireNonNull(refusals, "refusals");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
        this.ready = Objects.requireNonNull(ready, "ready");
        Optional<String> token = DebugToken.read(limits.tokenFile());
        if (token.isEmpty() && !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the debug port is bound to " + address.getAddress().getHostAddress()
                    + ", not loopback: anyone who reaches it would read every proxy's config; give a bearer token"
                    + " with --debug-token-file, or bind it to 127.0.0.1");
        }
        route("/debug/syncz", this::syncz);
        route("/debug/config_dump", this::configDump);
        route("/debug/registryz", this::registryz);
        route("/debug/scopez", this::scopez);
        route("/debug/adsz", this::adsz);
        route("/debug/push_status", q -> Response.json(DebugJson.write(PushStatus.of(pipeline))));
        route("/debug/ledgerz", this::ledgerz);
        route("/debug/learnz", q -> Response.json(DebugJson.write(LearningJson.mesh(pipeline.state(),
                pipeline.learning().measure()))));
        route("/debug/footprintz", q -> Response.json(OutputFormat.JSON.render(footprintReport())));
        route("/ui", q -> new Response(200, "text/html; charset=utf-8",
                OutputFormat.HTML.render(footprintReport())));
        route("/debug/authz", q -> Response.json(DebugJson.write(AuthzJson.of(refusals, connections))));
        route("/debug/list", q -> Response.json(DebugJson.write(ENDPOINTS)));
        route("/ready", q -> {
            String detail = readyDetail.get();
            String suffix = detail.isEmpty() ? "" : detail + "\n";
            return ready.getAsBoolean() ? Response.text(200, "ready\n" + suffix)
                    : Response.text(503, "not ready\n" + suffix);
        });
        route("/metrics", q -> new Response(200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape()));
        try {
            this.http = new HttpFront(address, limits, token, PROBES, OPEN, this::dispatch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + address, e);
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The bound address (the port is chosen by the system when 0 was asked). */
    public InetSocketAddress address() {
        return http.address();
    }

    private Response syncz(Map<String, String> query) {
        String namespace = query.get("namespace");
        List<Map<String, Object>> out = connections.all().stream()
                .map(c -> c.status())
                .filter(Objects::nonNull)
                .filter(s -> namespace == null || namespace.equals(s.namespace()))
                .map(s -> withDuplicates(DebugJson.syncz(s, CLUSTER_ID, CONTROL_PLANE_ID), s.proxyId()))
                .toList();
        return Response.json(DebugJson.write(out));
    }

    /** A proxy id claimed by several streams: each of its syncz entries lists all their connection ids. */
    private Map<String, Object> withDuplicates(Map<String, Object> entry, String proxyId) {
        List<ProxyConnection> same = connections.allOf(proxyId);
        if (same.size() > 1) {
            entry.put("duplicate_streams", same.stream().map(ProxyConnection::id).toList());
            entry.put("shown_in_config_dump", same.get(0).id() == ((Number) entry.get("connection_id")).longValue());
        }
        return entry;
    }

    private Response configDump(Map<String, String> query) {
        String proxyId = query.get("proxyID");
        if (proxyId == null || proxyId.isEmpty()) {
            return Response.text(400, "You must provide a proxyID in the query string");
        }
        Optional<ConnectionStatus> status = connections.byProxyId(proxyId).map(c -> c.status());
        if (status.isEmpty()) {
            return Response.text(404, "Proxy not connected to this Pilot instance. It may be connected to another instance.");
        }
        boolean includeEds = query.containsKey("include_eds");
        return Response.json(ConfigDumpBuilder.json(ConfigDumpBuilder.of(status.get(), includeEds)));
    }

    private Response registryz(Map<String, String> query) {
        MeshState state = pipeline.state();
        return Response.json(DebugJson.write(state.snapshot().services().stream()
                .map(s -> DebugJson.service(s, CLUSTER_ID)).toList()));
    }

    private Response scopez(Map<String, String> query) {
        String proxyId = query.get("proxyID");
        if (proxyId == null || proxyId.isEmpty()) {
            return Response.text(400, "You must provide a proxyID in the query string");
        }
        MeshState state = pipeline.state();
        Optional<ProxyIdentity> identity = pipeline.entry(proxyId).map(ProxyEntry::identity)
                .or(() -> registryPod(state, proxyId).map(ProxyIdentities::fromWorkload));
        if (identity.isEmpty()) {
            return Response.text(404, "Proxy " + proxyId + " is neither connected nor a pod of the registry.");
        }
        ScopeExplainer explainer = new ScopeExplainer(state.scopes());
        String host = query.get("host");
        ScopeExplanation explanation = host == null || host.isEmpty() ? explainer.explain(identity.get())
                : explainer.explain(identity.get(), host);
        Map<String, Object> learning = LearningJson.proxy(state, identity.get());
        if (query.containsKey("text")) {
            StringBuilder text = new StringBuilder(explanation.render());
            text.append("\nscoping: ").append(learning.get("mode")).append(", served ").append(learning.get("served"))
                    .append(", ").append(learning.get("outcome")).append('\n');
            if (learning.get("explain") instanceof List<?> lines) {
                lines.forEach(l -> text.append(l).append('\n'));
            }
            return Response.text(200, text.toString());
        }
        Map<String, Object> body = DebugJson.asMap(explanation);
        body.put("learning", learning);
        return Response.json(DebugJson.write(body));
    }

    private Response ledgerz(Map<String, String> query) {
        DependencyLedger current = ledger.get();
        MeshState state = pipeline.state();
        String workload = query.get("workload");
        if (workload == null) {
            return Response.json(DebugJson.write(LedgerJson.of(current, state.snapshot())));
        }
        int slash = workload.indexOf('/');
        if (slash <= 0 || slash == workload.length() - 1) {
            return Response.text(400, "workload must be NAMESPACE/NAME");
        }
        WorkloadKey key = new WorkloadKey(workload.substring(0, slash), workload.substring(slash + 1));
        return Response.json(DebugJson.write(current.page(key).map(p -> List.of(LedgerJson.page(p, state.snapshot())))
                .orElse(List.of())));
    }

    private Response adsz(Map<String, String> query) {
        String proxyId = query.get("proxyID");
        List<Map<String, Object>> clients = connections.all().stream().map(c -> c.status()).filter(Objects::nonNull)
                .filter(s -> proxyId == null || proxyId.equals(s.proxyId()))
                .map(s -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("connectionId", s.proxyId() + "-" + s.connectionId());
                    c.put("connectedAt", s.connectedAt().toString());
                    c.put("address", s.peer());
                    c.put("protocol", s.protocol());
                    List<ProxyConnection> same = connections.allOf(s.proxyId());
                    if (same.size() > 1) {
                        c.put("duplicateOf", same.get(0).id() == s.connectionId() ? List.of()
                                : List.of(s.proxyId() + "-" + same.get(0).id()));
                        c.put("duplicateStreams", same.size());
                    }
                    Map<String, Object> watches = new LinkedHashMap<>();
                    s.types().values().forEach(t -> watches.put(t.typeUrl(), t.wildcard() ? List.of("*") : t.subscribed()));
                    c.put("watches", watches);
                    return c;
                }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalClients", clients.size());
        out.put("clients", clients);
        return Response.json(DebugJson.write(out));
    }

    /**
     * The footprint of every connected proxy, from the resources the push pipeline last decided for it, with what
     * learned scoping saves: in {@code learned} mode the upper bound is generated to compare with what is served,
     * in {@code shadow} mode the learned scope; plus the fallback calls per workload.
     */
    private FootprintReport footprintReport() {
        MeshState state = pipeline.state();
        List<LearningFootprint> proxies = new ArrayList<>();
        for (ProxyEntry e : pipeline.entries()) {
            ProxyFootprint served = footprints.footprintOf(e.identity(), e.scope().name(), e.resources());
            Optional<ProxyScope> learned = state.learnedScopeFor(e.identity());
            if (learned.isEmpty()) {
                proxies.add(LearningFootprint.notNarrowed(served));
            } else if (e.scope().key().learned()) {
                ProxyScope upper = state.upperBoundFor(e.identity());
                proxies.add(new LearningFootprint(footprints.footprintOf(e.identity(), upper.name(),
                        state.resourcesUnder(e.identity(), upper)), Optional.of(served), true));
            } else {
                proxies.add(new LearningFootprint(served, Optional.of(footprints.footprintOf(e.identity(),
                        learned.get().name(), state.resourcesUnder(e.identity(), learned.get()))), false));
            }
        }
        Map<String, Long> fallbackCalls = new TreeMap<>();
        pipeline.learningMetrics().ifPresent(m -> m.fallbackCallsByWorkload()
                .forEach((workload, calls) -> fallbackCalls.put(workload.toString(), calls)));
        return footprints.learningReport(proxies, fallbackCalls);
    }

    private static String controlPlaneId() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "meshpilot" : "meshpilot-" + host;
    }

    private static Optional<WorkloadInstance> registryPod(MeshState state, String proxyId) {
        int dot = proxyId.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        return state.snapshot().findWorkload(proxyId.substring(0, dot), proxyId.substring(dot + 1));
    }

    private void route(String path, Handler handler) {
        routes.put(path, handler);
    }

    /**
     * The body {@code GET /debug/NAME[?QUERY]} answers, for istiod's generic debug xDS type ({@code istio.io/debug}
     * with resource name {@code NAME[?QUERY]}, as {@code istioctl x internal-debug} asks): the same handlers,
     * without HTTP. An unknown name gets the 404 text the HTTP port gives.
     */
    public String page(String nameAndQuery) {
        int q = nameAndQuery.indexOf('?');
        String path = "/debug/" + (q < 0 ? nameAndQuery : nameAndQuery.substring(0, q));
        Handler handler = routes.get(path);
        if (handler == null) {
            return "no such endpoint: " + path;
        }
        try {
            return handler.handle(query(q < 0 ? null : nameAndQuery.substring(q + 1))).body();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "debug handler " + path + " failed", e);
            return "internal error: " + e;
        }
    }

    private HttpFront.Reply dispatch(String path, String method, String rawQuery) {
        Handler handler = routes.get(path);
        Response response;
        try {
            if (handler == null) {
                response = Response.text(404, "no such endpoint: " + LogText.safe(path));
            } else if (!"GET".equals(method) && !"HEAD".equals(method)) {
                response = Response.text(405, "only GET is supported");
            } else {
                response = handler.handle(query(rawQuery));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "debug handler " + path + " failed", e);
            response = Response.text(500, "internal error: " + e);
        }
        return new HttpFront.Reply(response.status(), response.contentType(),
                response.body().getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    @Override
    public void close() {
        http.close();
    }

    @FunctionalInterface
    private interface Handler {
        Response handle(Map<String, String> query);
    }

    private record Response(int status, String contentType, String body) {
        static Response json(String body) {
            return new Response(200, "application/json", body);
        }

        static Response text(int status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body);
        }
    }
}
