package dev.meshpilot.server.ads;

import dev.meshpilot.server.metrics.ServerMetrics;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real ADS server on a loopback port serving one hand-made resource set to every proxy, plus a channel to it.
 * {@link #update} pushes a new set to every connected stream, as the push pipeline would.
 */
final class TestAdsServer implements AutoCloseable {
    final ConnectionRegistry registry = new ConnectionRegistry();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final java.util.concurrent.ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Server server;
    final ManagedChannel channel;
    private volatile ResourceSet resources;
    /** Streams the source was told to forget; streams close on several threads at once. */
    final java.util.concurrent.atomic.AtomicInteger detached = new java.util.concurrent.atomic.AtomicInteger();

    TestAdsServer(ResourceSet initial) throws IOException {
        this(initial, StreamLimits.of(dev.meshpilot.server.limits.ResourceLimits.defaults()));
    }

    TestAdsServer(ResourceSet initial, StreamLimits limits) throws IOException {
        this.resources = initial;
        ProxyConfigSource source = new ProxyConfigSource() {
            @Override
            public Attachment attach(ProxyConnection connection) throws RejectedNodeException {
                String id = connection.node().getId();
                if (id.startsWith("reject")) {
                    throw new RejectedNodeException("node id is not Istio-style");
                }
                String[] parts = id.split("~");
                String proxyId = parts.length > 2 ? parts[2] : id;
                String ns = proxyId.contains(".") ? proxyId.substring(proxyId.indexOf('.') + 1) : "default";
                return new Attachment(proxyId, ns, resources);
            }

            @Override
            public void detach(ProxyConnection connection) {
                detached.incrementAndGet();
            }
        };
        AdsService ads = new AdsService(source, registry, new ServerMetrics(meters), pool, limits,
                new dev.meshpilot.server.limits.Rejections(meters), timer);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ads.bindable()).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub() {
        return AggregatedDiscoveryServiceGrpc.newStub(channel);
    }

    static Node node(String podDotNs) {
        return Node.newBuilder().setId("sidecar~10.0.0.1~" + podDotNs + "~" + podDotNs.substring(podDotNs.indexOf('.') + 1)
                + ".svc.cluster.local").build();
    }

    /** Replaces the served set and pushes the given types to every connection. */
    void update(ResourceSet next, Set<String> types) {
        resources = next;
        for (ProxyConnection c : registry.all()) {
            c.push(new ConfigUpdate(next, types, "test", System.nanoTime()));
        }
    }

    void update(ResourceSet next) {
        update(next, Set.copyOf(XdsTypes.PUSH_ORDER));
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
        pool.shutdownNow();
        timer.shutdownNow();
    }
}
