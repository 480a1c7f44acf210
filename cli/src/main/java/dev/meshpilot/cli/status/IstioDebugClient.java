package dev.meshpilot.cli.status;

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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a control plane's ADS port for one of Istio's debug types the way istioctl does
 * ({@code istioctl/pkg/xds/client.go} through {@code pkg/adsc}): one plaintext SotW stream, a node like adsc's
 * ({@code sidecar~IP~WORKLOAD.NS~NS.svc.cluster.local}, metadata {@code GENERATOR=event},
 * {@code SERVICE_ACCOUNT=default}, {@code NAMESPACE=istio-system}, {@code ISTIO_VERSION=65536.65536.65536}), and the
 * first response of the type asked for. meshpilot answers such a stream without ever treating it as a proxy.
 */
final class IstioDebugClient {
    static final String NAMESPACE = "istio-system";

    private IstioDebugClient() {
    }

    /** Why a debug request got no answer: the message is for the user, one line. */
    static final class DebugXdsException extends Exception {
        private static final long serialVersionUID = 1L;

        DebugXdsException(String message) {
            super(message);
        }
    }

    static Node node() {
        Struct metadata = Struct.newBuilder()
                .putFields("GENERATOR", string("event"))
                .putFields("SERVICE_ACCOUNT", string("default"))
                .putFields("NAMESPACE", string(NAMESPACE))
                .putFields("ISTIO_VERSION", string("65536.65536.65536"))
                .build();
        return Node.newBuilder()
                .setId("sidecar~127.0.0.1~meshpilot-proxy-status." + NAMESPACE + "~" + NAMESPACE + ".svc.cluster.local")
                .setMetadata(metadata).build();
    }

    static DiscoveryResponse request(String host, int port, String typeUrl, List<String> resourceNames,
                                     Duration timeout) throws DebugXdsException {
        String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            CompletableFuture<DiscoveryResponse> answer = new CompletableFuture<>();
            StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                    .streamAggregatedResources(new StreamObserver<>() {
                        @Override
                        public void onNext(DiscoveryResponse r) {
                            if (r.getTypeUrl().equals(typeUrl)) {
                                answer.complete(r);
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            answer.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            answer.completeExceptionally(Status.UNAVAILABLE
                                    .withDescription("the server ended the stream without an answer").asException());
                        }
                    });
            requests.onNext(DiscoveryRequest.newBuilder().setNode(node()).setTypeUrl(typeUrl)
                    .addAllResourceNames(resourceNames).build());
            try {
                DiscoveryResponse r = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                requests.onCompleted();
                return r;
            } catch (ExecutionException e) {
                Status status = Status.fromThrowable(e.getCause());
                String why = status.getDescription() == null ? status.getCode().toString()
                        : status.getCode() + ": " + status.getDescription();
                if (status.getCode() == Status.Code.UNAVAILABLE) {
                    throw new DebugXdsException("cannot reach meshpilot's xDS port at " + address + " (" + why + ")");
                }
                throw new DebugXdsException(address + " refused " + typeUrl + " (" + why + ")");
            } catch (TimeoutException e) {
                throw new DebugXdsException("no answer to " + typeUrl + " from " + address + " within "
                        + timeout.toSeconds() + "s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DebugXdsException("interrupted");
            }
        } finally {
            channel.shutdownNow();
        }
    }

    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }
}
