package dev.meshpilot.server.ads;

import dev.meshpilot.server.limits.Rejections;
import dev.meshpilot.server.limits.ResourceLimits;
import dev.meshpilot.server.logging.RateLimitedLog;
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

    private static final Logger LOG = Logger.getLogger(AdsService.class.getName());

    private final StreamContext context;
    private final AtomicLong ids = new AtomicLong();

    /** As the full constructor, with {@link ResourceLimits#defaults()} and a timer of its own. */
    public AdsService(ProxyConfigSource source, ConnectionRegistry registry, ServerMetrics metrics, Executor pool) {
        this(source, registry, metrics, pool, StreamLimits.of(ResourceLimits.defaults()),
                new Rejections(metrics.registry()), sharedTimer());
    }

    /**
     * @param pool       runs the streams' serial executors; its size bounds how many streams do work at once
     * @param limits     what each stream enforces (node size, names per request, slow readers)
     * @param rejections counts what the limits refused
     * @param timer      schedules the slow-reader checks (only schedules; the work runs on the stream's executor)
     */
    public AdsService(ProxyConfigSource source, ConnectionRegistry registry, ServerMetrics metrics, Executor pool,
                      StreamLimits limits, Rejections rejections, ScheduledExecutorService timer) {
        this.context = new StreamContext(source, registry, metrics, pool, limits, rejections, timer,
                new RateLimitedLog(LOG, Clock.systemUTC(), Duration.ofSeconds(10)));
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
        return new SotwStream(ids.incrementAndGet(), peer(), context,
                (ServerCallStreamObserver<DiscoveryResponse>) responses).inbound();
    }

    @Override
    public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
            StreamObserver<DeltaDiscoveryResponse> responses) {
        return new DeltaStream(ids.incrementAndGet(), peer(), context,
                (ServerCallStreamObserver<DeltaDiscoveryResponse>) responses).inbound();
    }

    private static String peer() {
        String peer = PEER.get();
        return peer == null ? "" : peer;
    }

    private static final class PeerInterceptor implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                          ServerCallHandler<Q, R> next) {
            SocketAddress address = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            String peer = address == null ? "" : address.toString().replaceFirst("^/", "");
            return Contexts.interceptCall(Context.current().withValue(PEER, peer), call, headers, next);
        }
    }
}
