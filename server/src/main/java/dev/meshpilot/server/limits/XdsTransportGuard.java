package dev.meshpilot.server.limits;

import dev.meshpilot.server.logging.RateLimitedLog;
import io.grpc.Attributes;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerStreamTracer;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Applies {@link ResourceLimits} to the xDS port's gRPC server: connection count (at accept), streams per
 * connection and the new-stream rate (interceptors), message size, handshake, keepalive, idle and age limits
 * (grpc-java's Netty server settings), and counts each refusal in {@link Rejections}. Owns the Netty event loops
 * and the admission timer; close it after the gRPC server.
 */
public final class XdsTransportGuard implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(XdsTransportGuard.class.getName());
    private static final Attributes.Key<AtomicInteger> OPEN_STREAMS = Attributes.Key.create("meshpilot-open-streams");
    /** grpc-java's description when a message is larger than {@code maxInboundMessageSize}. */
    private static final String TOO_LARGE = "exceeds maximum";

    private final ResourceLimits limits;
    private final Rejections rejections;
    private final RateLimitedLog log;
    private final StreamRateLimiter rate;
    private final AtomicInteger connections = new AtomicInteger();
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ScheduledExecutorService admissions;

    public XdsTransportGuard(ResourceLimits limits, Rejections rejections) {
        this.limits = limits;
        this.rejections = rejections;
        this.log = new RateLimitedLog(LOG, Clock.systemUTC(), Duration.ofSeconds(10));
        this.rate = new StreamRateLimiter(limits.newStreamsPerSecond(), limits.maxAdmissionWait().toNanos(),
                System::nanoTime);
        this.boss = new NioEventLoopGroup(1, new DefaultThreadFactory("meshpilot-xds-accept", true));
        this.workers = new NioEventLoopGroup(0, new DefaultThreadFactory("meshpilot-xds-io", true));
        this.admissions = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshpilot-xds-admission");
            t.setDaemon(true);
            return t;
        });
    }

    /** Connections open on the xDS port now. */
    public int openConnections() {
        return connections.get();
    }

    /** The builder with every transport limit applied and the event loops this guard owns. */
    public NettyServerBuilder apply(NettyServerBuilder builder) {
        int max = limits.maxConnections();
        return builder
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .channelFactory(() -> new ConnectionLimitedServerChannel(max, connections, () -> {
                    rejections.count(Rejections.Reason.CONNECTIONS);
                    log.warn(Rejections.Reason.CONNECTIONS, () -> "xds: " + max
                            + " connections open, refusing more (--max-connections)");
                }))
                .addTransportFilter(new StreamCounting())
                .addStreamTracerFactory(new OversizeCounting())
                .maxInboundMessageSize(limits.maxMessageBytes())
                .handshakeTimeout(limits.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTime(limits.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(limits.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAge(limits.maxConnectionAge().toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAgeGrace(limits.maxConnectionAgeGrace().toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionIdle(limits.maxConnectionIdle().toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(limits.permitKeepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(true);
    }

    /** Refuses a stream beyond {@code maxStreamsPerConnection} on its connection. For every service on the port. */
    public ServerInterceptor streamsPerConnection() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                AtomicInteger open = call.getAttributes().get(OPEN_STREAMS);
                if (open == null) {
                    return next.startCall(call, headers);
                }
                if (open.incrementAndGet() > limits.maxStreamsPerConnection()) {
                    open.decrementAndGet();
                    return refuse(call, Rejections.Reason.STREAMS, "too many concurrent streams on this connection"
                            + " (limit " + limits.maxStreamsPerConnection() + ")");
                }
                AtomicBoolean released = new AtomicBoolean();
                Runnable release = () -> {
                    if (released.compareAndSet(false, true)) {
                        open.decrementAndGet();
                    }
                };
                ServerCall.Listener<Q> delegate;
                try {
                    delegate = next.startCall(call, headers);
                } catch (RuntimeException e) {
                    release.run();
                    throw e;
                }
                return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
                    @Override
                    public void onComplete() {
                        release.run();
                        super.onComplete();
                    }

                    @Override
                    public void onCancel() {
                        release.run();
                        super.onCancel();
                    }
                };
            }
        };
    }

    /**
     * Admits new streams at the configured rate, first come first served: a stream whose turn is near starts reading
     * when it comes (its requests wait in gRPC flow control, no thread blocks), one whose turn is further than the
     * maximum wait fails with {@code RESOURCE_EXHAUSTED}. For the ADS service.
     */
    public ServerInterceptor newStreamRate() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                              ServerCallHandler<Q, R> next) {
                OptionalLong wait = rate.reserve();
                if (wait.isEmpty()) {
                    return refuse(call, Rejections.Reason.RATE, "new-stream rate limit exceeded ("
                            + (long) limits.newStreamsPerSecond() + "/s); retry later");
                }
                rejections.admissionWait(wait.getAsLong());
                if (wait.getAsLong() == 0) {
                    return next.startCall(call, headers);
                }
                DelayedStart<Q, R> delayed = new DelayedStart<>(call);
                ServerCall.Listener<Q> listener = next.startCall(delayed, headers);
                admissions.schedule(delayed::admit, wait.getAsLong(), TimeUnit.NANOSECONDS);
                return listener;
            }
        };
    }

    private <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Rejections.Reason reason, String message) {
        rejections.count(reason);
        log.warn(reason, () -> "xds: refused a stream from "
                + call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR) + ": " + message);
        call.close(Status.RESOURCE_EXHAUSTED.withDescription(message), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    @Override
    public void close() {
        admissions.shutdownNow();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Holds back the stream's message requests until it is admitted. */
    private static final class DelayedStart<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private int requested;
        private boolean admitted;

        DelayedStart(ServerCall<Q, R> call) {
            super(call);
        }

        @Override
        public void request(int n) {
            synchronized (this) {
                if (!admitted) {
                    requested += n;
                    return;
                }
            }
            super.request(n);
        }

        void admit() {
            int n;
            synchronized (this) {
                admitted = true;
                n = requested;
                requested = 0;
            }
            if (n > 0) {
                try {
                    super.request(n);
                } catch (RuntimeException e) {
                    // the call was cancelled while it waited
                }
            }
        }
    }

    /** Gives each connection its stream counter. */
    private static final class StreamCounting extends ServerTransportFilter {
        @Override
        public Attributes transportReady(Attributes attrs) {
            return attrs.toBuilder().set(OPEN_STREAMS, new AtomicInteger()).build();
        }
    }

    /** Counts streams gRPC closed because a message was larger than allowed. */
    private final class OversizeCounting extends ServerStreamTracer.Factory {
        @Override
        public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
            return new ServerStreamTracer() {
                @Override
                public void streamClosed(Status status) {
                    if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && status.getDescription() != null
                            && status.getDescription().contains(TOO_LARGE)) {
                        rejections.count(Rejections.Reason.MESSAGE_SIZE);
                        log.warn(Rejections.Reason.MESSAGE_SIZE, () -> "xds: closed a stream of " + fullMethodName
                                + ": " + status.getDescription());
                    }
                }
            };
        }
    }
}
