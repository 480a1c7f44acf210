package dev.meshpilot.server;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ADS client that asks for Istio's debug types the way istioctl does. istioctl itself (a Go binary) cannot be
 * installed here, so this client is built from Istio's protocol as its sources (1.29 line) define it:
 * {@code istioctl/pkg/xds/client.go} {@code GetXdsResponse} opens one SotW stream through {@code pkg/adsc} with node
 * metadata {@code GENERATOR=event}, {@code SERVICE_ACCOUNT=default}, {@code NAMESPACE=<istio namespace>} (adsc
 * adds {@code ISTIO_VERSION=65536.65536.65536}); adsc's node id is {@code sidecar~IP~test-1.NS~NS.svc.cluster.local};
 * every request adsc sends carries a {@code response_nonce} (Go's {@code time.Now().String()}), the first one the
 * node; istioctl then waits for the first response of the type it asked for.
 */
final class IstioctlLikeClient implements AutoCloseable {
    static final String NAMESPACE = "istio-system";
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS Z 'UTC'");

    private final ManagedChannel channel;
    private final StreamObserver<DiscoveryRequest> requests;
    final BlockingQueue<DiscoveryResponse> received = new LinkedBlockingQueue<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    private boolean nodeSent;

    IstioctlLikeClient(String host, int port) {
        channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse r) {
                received.add(r);
            }

            @Override
            public void onError(Throwable t) {
                error.set(t);
            }

            @Override
            public void onCompleted() {
            }
        });
    }

    static Node istioctlNode() {
        Struct metadata = Struct.newBuilder()
                .putFields("GENERATOR", string("event"))
                .putFields("SERVICE_ACCOUNT", string("default"))
                .putFields("NAMESPACE", string(NAMESPACE))
                .putFields("ISTIO_VERSION", string("65536.65536.65536"))
                .build();
        return Node.newBuilder().setId("sidecar~192.0.2.10~test-1." + NAMESPACE + "~" + NAMESPACE + ".svc.cluster.local")
                .setMetadata(metadata).build();
    }

    /** Sends one request as adsc's {@code Send} does: the node on the first, a time string as response nonce. */
    synchronized void send(String typeUrl, List<String> resourceNames) {
        send(typeUrl, resourceNames, ZonedDateTime.now(ZoneOffset.UTC).format(GO_TIME));
    }

    synchronized void send(String typeUrl, List<String> resourceNames, String responseNonce) {
        DiscoveryRequest.Builder r = DiscoveryRequest.newBuilder().setTypeUrl(typeUrl)
                .addAllResourceNames(resourceNames).setResponseNonce(responseNonce);
        if (!nodeSent) {
            r.setNode(istioctlNode());
            nodeSent = true;
        }
        requests.onNext(r.build());
    }

    /** Sends the request and returns the first response (istioctl's {@code WaitVersion(timeout, typeUrl, "")}). */
    DiscoveryResponse ask(String typeUrl, List<String> resourceNames) {
        send(typeUrl, resourceNames);
        DiscoveryResponse r = next();
        assertThat(r.getTypeUrl()).isEqualTo(typeUrl);
        return r;
    }

    DiscoveryResponse next() {
        try {
            DiscoveryResponse r = received.poll(15, TimeUnit.SECONDS);
            assertThat(r).as("a response within 15 s (stream error: %s)", error.get()).isNotNull();
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    @Override
    public void close() {
        try {
            requests.onCompleted();
        } catch (RuntimeException ignored) {
            // already closed by the server
        }
        channel.shutdownNow();
    }
}
