package dev.meshpilot.server.auth;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One ADS stream over real gRPC on loopback, plaintext or TLS (optionally with a client certificate and a bearer
 * token), asking for every cluster: the outcome is the first CDS response or the status the stream ended with.
 */
final class AdsProbe {
    static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    /** What came back: the cluster names, or the status that ended the stream. */
    record Outcome(Optional<List<String>> clusters, Status status) {
        boolean served() {
            return clusters.isPresent();
        }
    }

    private AdsProbe() {
    }

    static ChannelCredentials plaintext() {
        return InsecureChannelCredentials.create();
    }

    /** TLS trusting {@code ca}, presenting {@code cert}/{@code key} when given. */
    static ChannelCredentials tls(Path ca, Path cert, Path key) throws IOException {
        TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder().trustManager(ca.toFile());
        if (cert != null) {
            b.keyManager(cert.toFile(), key.toFile());
        }
        return b.build();
    }

    static Node node(String podDotNs, Map<String, String> labels) {
        String ns = podDotNs.substring(podDotNs.indexOf('.') + 1);
        Struct.Builder l = Struct.newBuilder();
        labels.forEach((k, v) -> l.putFields(k, Value.newBuilder().setStringValue(v).build()));
        return Node.newBuilder().setId("sidecar~10.9.9.9~" + podDotNs + "~" + ns + ".svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("LABELS", Value.newBuilder().setStructValue(l).build()))
                .build();
    }

    /** A SotW stream asking for every cluster. */
    static Outcome sotw(int port, ChannelCredentials credentials, Optional<String> token, Node node) {
        ManagedChannel channel = channel(port, credentials);
        try {
            CompletableFuture<Outcome> result = new CompletableFuture<>();
            StreamObserver<DiscoveryRequest> requests = stub(channel, token).streamAggregatedResources(
                    new StreamObserver<>() {
                        @Override
                        public void onNext(DiscoveryResponse r) {
                            if (r.getTypeUrl().equals(CDS)) {
                                result.complete(new Outcome(Optional.of(r.getResourcesList().stream()
                                        .map(a -> unpack(a).getName()).toList()), Status.OK));
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            result.complete(new Outcome(Optional.empty(), Status.fromThrowable(t)));
                        }

                        @Override
                        public void onCompleted() {
                            result.complete(new Outcome(Optional.empty(), Status.UNKNOWN.withDescription("completed")));
                        }
                    });
            requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(CDS).build());
            return await(result);
        } finally {
            channel.shutdownNow();
        }
    }

    /** A delta stream subscribing to every cluster (wildcard). */
    static Outcome delta(int port, ChannelCredentials credentials, Optional<String> token, Node node) {
        ManagedChannel channel = channel(port, credentials);
        try {
            CompletableFuture<Outcome> result = new CompletableFuture<>();
            StreamObserver<DeltaDiscoveryRequest> requests = stub(channel, token).deltaAggregatedResources(
                    new StreamObserver<>() {
                        @Override
                        public void onNext(DeltaDiscoveryResponse r) {
                            result.complete(new Outcome(Optional.of(r.getResourcesList().stream()
                                    .map(x -> x.getName()).toList()), Status.OK));
                        }

                        @Override
                        public void onError(Throwable t) {
                            result.complete(new Outcome(Optional.empty(), Status.fromThrowable(t)));
                        }

                        @Override
                        public void onCompleted() {
                            result.complete(new Outcome(Optional.empty(), Status.UNKNOWN.withDescription("completed")));
                        }
                    });
            requests.onNext(DeltaDiscoveryRequest.newBuilder().setNode(node).setTypeUrl(CDS).build());
            return await(result);
        } finally {
            channel.shutdownNow();
        }
    }

    private static ManagedChannel channel(int port, ChannelCredentials credentials) {
        return NettyChannelBuilder.forAddress("localhost", port, credentials).build();
    }

    private static AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub(ManagedChannel channel,
                                                                                      Optional<String> token) {
        AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub = AggregatedDiscoveryServiceGrpc.newStub(channel);
        return token.map(t -> stub.withCallCredentials(bearer(t))).orElse(stub);
    }

    static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
                applier.apply(headers);
            }
        };
    }

    private static Outcome await(CompletableFuture<Outcome> result) {
        try {
            return result.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer on the ADS stream within 15 s", e);
        }
    }

    private static Cluster unpack(com.google.protobuf.Any any) {
        try {
            return any.unpack(Cluster.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
