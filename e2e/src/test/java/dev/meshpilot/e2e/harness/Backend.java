package dev.meshpilot.e2e.harness;

import com.google.protobuf.StringValue;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real gRPC backend on 127.0.0.1 and a random port: the standard health service (SERVING) plus {@link WhoAmI},
 * which answers with this backend's name and counts the calls it took.
 */
public final class Backend implements AutoCloseable {

    private final String name;
    private final Server server;
    private final AtomicLong calls = new AtomicLong();

    private Backend(String name) {
        this.name = name;
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(WhoAmI.SERVICE, ServingStatus.SERVING);
        ServerServiceDefinition whoAmI = ServerServiceDefinition.builder(WhoAmI.SERVICE)
                .addMethod(WhoAmI.WHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    calls.incrementAndGet();
                    response.onNext(StringValue.of(name));
                    response.onCompleted();
                }))
                .build();
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(health.getHealthService())
                .addService(whoAmI)
                .build();
    }

    public static Backend start(String name) {
        Backend backend = new Backend(name);
        try {
            backend.server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("backend " + name + " could not listen", e);
        }
        return backend;
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getPort();
    }

    public long callsServed() {
        return calls.get();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
