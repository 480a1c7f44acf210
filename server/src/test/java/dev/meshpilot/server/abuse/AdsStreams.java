package dev.meshpilot.server.abuse;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.CompletableFuture;

/** Raw ADS streams as an attacker opens them: one channel, any node, the outcome of each stream as a future. */
final class AdsStreams implements AutoCloseable {
    static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    final ManagedChannel channel;

    AdsStreams(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
    }

    static Node node(String pod, String namespace) {
        return Node.newBuilder().setId("sidecar~10.9.9.9~" + pod + "." + namespace + "~" + namespace
                + ".svc.cluster.local").build();
    }

    static Node withPadding(Node node, int bytes) {
        return node.toBuilder().setMetadata(Struct.newBuilder().putFields("PADDING",
                Value.newBuilder().setStringValue("x".repeat(bytes)).build())).build();
    }

    /** One stream: its first response, or the status it ended with. */
    static final class Opened {
        final CompletableFuture<DiscoveryResponse> firstResponse = new CompletableFuture<>();
        final CompletableFuture<Status> ended = new CompletableFuture<>();
        StreamObserver<DiscoveryRequest> requests;

        void close() {
            try {
                requests.onCompleted();
            } catch (RuntimeException ignored) {
                // already ended
            }
        }
    }

    Opened open(DiscoveryRequest first) {
        Opened o = new Opened();
        o.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse r) {
                o.firstResponse.complete(r);
            }

            @Override
            public void onError(Throwable t) {
                Status s = Status.fromThrowable(t);
                o.firstResponse.completeExceptionally(t);
                o.ended.complete(s);
            }

            @Override
            public void onCompleted() {
                o.ended.complete(Status.OK);
            }
        });
        o.requests.onNext(first);
        return o;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
