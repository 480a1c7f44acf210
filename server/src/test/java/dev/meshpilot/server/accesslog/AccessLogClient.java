package dev.meshpilot.server.accesslog;

import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A client of the access-log service through the Envoy API's generated stub, over loopback. */
public final class AccessLogClient implements AutoCloseable {
    private final ManagedChannel channel;
    private final AccessLogServiceGrpc.AccessLogServiceStub stub;

    public AccessLogClient(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        stub = AccessLogServiceGrpc.newStub(channel);
    }

    /** One open stream; {@link #finish()} completes it and waits for the server's response. */
    final class Stream {
        final CompletableFuture<StreamAccessLogsResponse> response = new CompletableFuture<>();
        private final StreamObserver<StreamAccessLogsMessage> requests = stub.streamAccessLogs(new StreamObserver<>() {
            @Override
            public void onNext(StreamAccessLogsResponse r) {
                response.complete(r);
            }

            @Override
            public void onError(Throwable t) {
                response.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                response.complete(StreamAccessLogsResponse.getDefaultInstance());
            }
        });

        Stream send(StreamAccessLogsMessage message) {
            requests.onNext(message);
            return this;
        }

        /** Completes the stream; returns once the server has read every message and answered. */
        StreamAccessLogsResponse finish() throws Exception {
            requests.onCompleted();
            return response.get(20, TimeUnit.SECONDS);
        }
    }

    Stream open() {
        return new Stream();
    }

    /** Sends the messages on one new stream and waits until the server has read them all. */
    public void sendAll(List<StreamAccessLogsMessage> messages) throws Exception {
        Stream s = open();
        messages.forEach(s::send);
        s.finish();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
