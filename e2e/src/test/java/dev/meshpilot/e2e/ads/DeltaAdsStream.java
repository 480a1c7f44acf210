package dev.meshpilot.e2e.ads;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Our own incremental (delta) ADS client: one {@code DeltaAggregatedResources} stream on its own channel, with
 * the responses queued for the test to inspect. The node is sent on the stream's first request only, as real
 * clients do.
 */
public final class DeltaAdsStream implements AutoCloseable {

    private final ManagedChannel channel;
    private final Node node;
    private final BlockingQueue<DeltaDiscoveryResponse> responses = new LinkedBlockingQueue<>();
    private final AtomicReference<Throwable> streamError = new AtomicReference<>();
    private final StreamObserver<DeltaDiscoveryRequest> requests;
    private boolean nodeSent;

    private DeltaAdsStream(int xdsPort, Node node) {
        this.node = node;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", xdsPort).usePlaintext().build();
        this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                .deltaAggregatedResources(new StreamObserver<>() {
                    @Override
                    public void onNext(DeltaDiscoveryResponse response) {
                        responses.add(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                        streamError.set(t);
                    }

                    @Override
                    public void onCompleted() {
                        streamError.compareAndSet(null, new IllegalStateException("server completed the stream"));
                    }
                });
    }

    public static DeltaAdsStream open(int xdsPort, Node node) {
        return new DeltaAdsStream(xdsPort, node);
    }

    /** Subscribes to {@code names} of {@code typeUrl}; no names on a type's first request means wildcard. */
    public void subscribe(String typeUrl, String... names) {
        send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(typeUrl).addAllResourceNamesSubscribe(java.util.List.of(names)));
    }

    public void unsubscribe(String typeUrl, String... names) {
        send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(typeUrl)
                .addAllResourceNamesUnsubscribe(java.util.List.of(names)));
    }

    /** First request of a reconnecting client: what it already holds, so unchanged resources are not resent. */
    public void resume(String typeUrl, Map<String, String> initialResourceVersions, String... names) {
        send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(typeUrl)
                .addAllResourceNamesSubscribe(java.util.List.of(names))
                .putAllInitialResourceVersions(initialResourceVersions));
    }

    public void ack(DeltaDiscoveryResponse response) {
        send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
                .setResponseNonce(response.getNonce()));
    }

    public void nack(DeltaDiscoveryResponse response, String message) {
        send(DeltaDiscoveryRequest.newBuilder().setTypeUrl(response.getTypeUrl())
                .setResponseNonce(response.getNonce())
                .setErrorDetail(com.google.rpc.Status.newBuilder().setCode(3).setMessage(message)));
    }

    /** The next response, failing with the stream's error (if any) when none arrives in time. */
    public DeltaDiscoveryResponse next(Duration timeout) {
        return poll(timeout).orElseThrow(() -> new AssertionError("no delta response within " + timeout
                + (streamError.get() == null ? "" : "; stream failed: " + streamError.get())));
    }

    /** The next response of {@code typeUrl}, acknowledging responses of other types on the way. */
    public DeltaDiscoveryResponse next(String typeUrl, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            DeltaDiscoveryResponse response = next(left);
            if (response.getTypeUrl().equals(typeUrl)) {
                return response;
            }
            ack(response);
        }
    }

    public Optional<DeltaDiscoveryResponse> poll(Duration timeout) {
        try {
            return Optional.ofNullable(responses.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            requests.onCompleted();
        } catch (RuntimeException ignored) {
            // already closed by the server
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void send(DeltaDiscoveryRequest.Builder request) {
        if (!nodeSent) {
            request.setNode(node);
            nodeSent = true;
        }
        requests.onNext(request.build());
    }
}
