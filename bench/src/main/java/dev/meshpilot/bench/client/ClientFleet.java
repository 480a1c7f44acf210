package dev.meshpilot.bench.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * N simulated clients against one xDS server on loopback. Clients share one small Netty event loop and, when asked,
 * connections ({@code clientsPerConnection}); with the default of 1 each proxy has its own TCP connection, as
 * Envoys do.
 */
public final class ClientFleet implements AutoCloseable {

    private final String host;
    private final int port;
    private final int clientsPerConnection;
    private final EventLoopGroup loop;
    private final RunClock clock;
    private final Interner interner = new Interner();
    private final ResourceLinks links = new ResourceLinks(interner);
    private final List<SimClient> clients = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    /** The channel each client (by index) runs on. */
    private final List<ManagedChannel> channelOf = new ArrayList<>();
    private long waveStartNanos;

    public ClientFleet(String host, int port, List<ProxyNode> proxies, ClientKind kind, int clientsPerConnection,
                       RunClock clock) {
        this.host = host;
        this.port = port;
        this.clientsPerConnection = Math.max(1, clientsPerConnection);
        this.clock = clock;
        this.loop = new NioEventLoopGroup(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
        for (ProxyNode proxy : proxies) {
            clients.add(new SimClient(proxy, kind, interner, links, clock));
        }
    }

    public List<SimClient> clients() {
        return clients;
    }

    public Interner interner() {
        return interner;
    }

    /** Connects every client, {@code perSecond} at most per second (0: all at once). */
    public void startAll(int perSecond) throws InterruptedException {
        waveStartNanos = clock.now();
        ManagedChannel channel = null;
        for (int i = 0; i < clients.size(); i++) {
            if (i % clientsPerConnection == 0) {
                channel = NettyChannelBuilder.forAddress(host, port)
                        .usePlaintext()
                        .eventLoopGroup(loop)
                        .channelType(NioSocketChannel.class)
                        .directExecutor()
                        .maxInboundMessageSize(Integer.MAX_VALUE)
                        .build();
                channels.add(channel);
            }
            channelOf.add(channel);
            clients.get(i).start(channel);
            if (perSecond > 0 && (i + 1) % perSecond == 0) {
                long due = waveStartNanos + TimeUnit.SECONDS.toNanos((i + 1) / perSecond);
                long wait = due - clock.now();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        }
    }

    /**
     * Opens a new stream for client number {@code index} on its channel right now: the channel's own reconnect
     * backoff is reset first (gRPC's channel backoff is not Envoy's; the caller decides when an attempt happens).
     */
    public void reconnect(int index) {
        ManagedChannel channel = channelOf.get(index);
        channel.resetConnectBackoff();
        clients.get(index).reconnect(channel);
    }

    public long waveStartNanos() {
        return waveStartNanos;
    }

    /** Waits until every client holds a complete configuration or the timeout passes; returns how it went. */
    public Convergence awaitConvergence(Duration timeout) throws InterruptedException {
        long deadline = clock.now() + timeout.toNanos();
        while (clock.now() < deadline) {
            if (countConverged() == clients.size() || anyFailed()) {
                break;
            }
            Thread.sleep(50);
        }
        List<Long> times = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (SimClient client : clients) {
            if (client.converged()) {
                times.add(client.convergedNanos() - waveStartNanos);
            }
            if (client.failure() != null && failures.size() < 5) {
                failures.add(client.proxy().proxyId() + ": " + client.failure());
            } else if (!client.converged() && failures.size() < 5) {
                failures.add("not converged: " + client.describe());
            }
        }
        return new Convergence(clients.size(), times, failures);
    }

    private int countConverged() {
        int n = 0;
        for (SimClient client : clients) {
            if (client.converged()) {
                n++;
            }
        }
        return n;
    }

    private boolean anyFailed() {
        for (SimClient client : clients) {
            if (client.failure() != null) {
                return true;
            }
        }
        return false;
    }

    /** Starts measuring an event that is about to be written at {@code writeNanos}. */
    public void mark(long writeNanos) {
        clients.forEach(c -> c.mark(writeNanos));
    }

    /**
     * Waits until every client in {@code mustChange} has changed, no client has received anything for {@code quiet},
     * and at least {@code atLeast} has passed since the write (or the timeout passed), then returns each client's
     * outcome.
     */
    public List<EventOutcome> awaitSettled(long writeNanos, List<SimClient> mustChange, Duration quiet,
                                           Duration atLeast, Duration timeout) throws InterruptedException {
        long deadline = writeNanos + timeout.toNanos();
        List<SimClient> pending = new ArrayList<>(mustChange);
        while (clock.now() < deadline) {
            pending.removeIf(c -> c.outcome().changed());
            long now = clock.now();
            boolean longEnough = now - writeNanos >= atLeast.toNanos();
            boolean quietNow = now - Math.max(clock.lastResponseNanos(), writeNanos) >= quiet.toNanos();
            if (pending.isEmpty() && longEnough && quietNow) {
                break;
            }
            Thread.sleep(20);
        }
        return clients.stream().map(SimClient::outcome).toList();
    }

    public long bytesReceived() {
        long total = 0;
        for (SimClient client : clients) {
            total += client.bytesReceived();
        }
        return total;
    }

    public long responses() {
        long total = 0;
        for (SimClient client : clients) {
            total += client.responses();
        }
        return total;
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel channel : channels) {
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
