package dev.meshpilot.server.ads;

import dev.meshpilot.server.auth.AuthRefusals;
import dev.meshpilot.server.limits.Rejections;
import dev.meshpilot.server.limits.ResourceLimits;
import dev.meshpilot.server.logging.RateLimitedLog;
import dev.meshpilot.server.logging.StreamEventLog;
import dev.meshpilot.server.metrics.ServerMetrics;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Envoy's Aggregated Discovery Service, state of the world and delta, over one registry of connections. Bind
 * it with {@link #bindable()} so each stream knows its peer address.
 */
public final class AdsService extends AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase {
    private static final Context.Key<String> PEER = Context.key("meshpilot-peer");
    private static final Context.Key<Boolean> LOOPBACK = Context.key("meshpilot-peer-loopback");

    private static final Logger LOG = Logger.getLogger(AdsService.class.getName());
    /** Streams' "connected" and "closed" lines written one by one per 10 s; beyond that they are counted. */
    private static final int STREAM_LINES_PER_PERIOD = 20;

    private final StreamContext context;
    private final AtomicLong ids = new AtomicLong();

    /** As the full constructor, with {@link ResourceLimits#defaults()} and a timer of its own. */
    public AdsService(ProxyConfigSource source, ConnectionRegistry registry, ServerMetrics metrics, Executor pool) {
        this(source, registry, metrics, pool, StreamLimits.of(ResourceLimits.defaults()),
                new Rejections(metrics.registry()), sharedTimer(), DebugXdsHandler.NONE,
                new AuthRefusals(metrics.registry(), Clock.systemUTC()));
    }

    /**
     * @param debug answers Istio's debug types ({@link DebugTypes}) for the clients {@link DebugAccess} admits
     */
    public AdsService(ProxyConfigSource source, ConnectionRegistry registry, ServerMetrics metrics, Executor pool,
                      DebugXdsHandler debug) {
        this(source, registry, metrics, pool, StreamLimits.of(ResourceLimits.defaults()),
                new Rejections(metrics.registry()), sharedTimer(), debug,
                new AuthRefusals(metrics.registry(), Clock.systemUTC()));
    }

    /**
     * @param refusals where streams refused by authorization (a node its caller may not claim) are recorded
     */
    public AdsService(ProxyConfigSource source, ConnectionRegistry registry, ServerMetrics metrics, Executor pool,
                      AuthRefusals refusals) {
        this(source, registry, metrics, pool, StreamLimits.of(ResourceLimits.defaults()),
                new Rejections(metrics.registry()), sharedTimer(), DebugXdsHandler.NONE, refusals);
    }

    /** With these stream limits, no debug types answered and refusals recorded in the metrics' registry. */
    public AdsService(ProxyConfigSource source, ConnectionRegistry registry, ServerMetrics metrics, Executor pool,
                      StreamLimits limits, Rejections rejections, ScheduledExecutorService timer) {
        this(source, registry, metrics, pool, limits, rejections, timer, DebugXdsHandler.NONE,
                new AuthRefusals(metrics.registry(), Clock.systemUTC()));
    }

    /**
     * @param pool       runs the streams' serial executors; its size bounds how many streams do work at once
     * @param limits     what each stream enforces (node size, names per request, slow readers)
     * @param rejections counts what the limits refused
     * @param timer      schedules the slow-reader checks (only schedules; the work runs on the stream's executor)
     * @param debug      answers Istio's debug types ({@link DebugTypes}) for the clients {@link DebugAccess} admits
     * @param refusals   where streams refused by authorization (a node its caller may not claim) are recorded
     */
    public AdsService(ProxyConfigSource source, ConnectionRegistry registry, ServerMetrics metrics, Executor pool,
                      StreamLimits limits, Rejections rejections, ScheduledExecutorService timer,
                      DebugXdsHandler debug, AuthRefusals refusals) {
        StreamEventLog streamLog = new StreamEventLog(LOG, STREAM_LINES_PER_PERIOD, registry::size,
                Duration.ofSeconds(10), timer);
        this.context = new StreamContext(source, registry, metrics, pool, limits, rejections, timer,
                new RateLimitedLog(LOG, Clock.systemUTC(), Duration.ofSeconds(10)), streamLog, debug, refusals);
    }

    private static ScheduledExecutorService sharedTimer() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshpilot-xds-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** This service with the interceptor that records each stream's peer address. */
    public ServerServiceDefinition bindable() {
        return ServerInterceptors.intercept(this, new PeerInterceptor());
    }

    @Override
    public StreamObserver<DiscoveryRequest> streamAggregatedResources(StreamObserver<DiscoveryResponse> responses) {
        return new SotwStream(ids.incrementAndGet(), peer(), loopback(), context,
                (ServerCallStreamObserver<DiscoveryResponse>) responses).inbound();
    }

    @Override
    public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
            StreamObserver<DeltaDiscoveryResponse> responses) {
        return new DeltaStream(ids.incrementAndGet(), peer(), loopback(), context,
                (ServerCallStreamObserver<DeltaDiscoveryResponse>) responses).inbound();
    }

    private static String peer() {
        String peer = PEER.get();
        return peer == null ? "" : peer;
    }

    private static boolean loopback() {
        return Boolean.TRUE.equals(LOOPBACK.get());
    }

    private static final class PeerInterceptor implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                          ServerCallHandler<Q, R> next) {
            SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            String peer = address == null ? "" : address.toString().replaceFirst("^/", "");
            boolean loopback = address instanceof InetSocketAddress inet && inet.getAddress() != null
                    && inet.getAddress().isLoopbackAddress();
            return Contexts.interceptCall(Context.current().withValue(PEER, peer).withValue(LOOPBACK, loopback),
                    call, headers, next);
        }
    }
}
