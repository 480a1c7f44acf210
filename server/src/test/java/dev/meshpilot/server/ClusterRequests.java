package dev.meshpilot.server;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.CompletableFuture;

/** Tests' smallest ADS client: opens a stream as {@code node}, asks for clusters and keeps the first answer. */
public final class ClusterRequests {
    private static final String CLUSTER_TYPE = "type.googleapis.com/envoy.config.cluster.v3.Cluster";

    private ClusterRequests() {
    }

    /**
     * @param first completed with the first response (or the stream's error)
     * @return the request side of the stream, to keep it open
     */
    public static StreamObserver<DiscoveryRequest> ask(ManagedChannel channel, Node node,
                                                       CompletableFuture<DiscoveryResponse> first) {
        StreamObserver<DiscoveryRequest> requests = AggregatedDiscoveryServiceGrpc.newStub(channel)
                .streamAggregatedResources(new StreamObserver<>() {
                    @Override
                    public void onNext(DiscoveryResponse r) {
                        first.complete(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        first.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(CLUSTER_TYPE).build());
        return requests;
    }
}
