package dev.meshpilot.server;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SotW ADS client that behaves like Envoy: CDS and LDS wildcard, EDS for every EDS cluster it was given, ACKs
 * every response (with its current subscription) and records them for the test.
 */
public final class EnvoyLikeClient implements AutoCloseable {
    static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";

    private final ManagedChannel channel;
    private final StreamObserver<DiscoveryRequest> requests;
    final BlockingQueue<DiscoveryResponse> received = new LinkedBlockingQueue<>();
    private volatile Set<String> edsNames = Set.of();

    public EnvoyLikeClient(int port, String podDotNs) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        String ns = podDotNs.substring(podDotNs.indexOf('.') + 1);
        Node node = Node.newBuilder().setId("sidecar~10.1.1.1~" + podDotNs + "~" + ns + ".svc.cluster.local").build();
        requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse r) {
                onResponse(r);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        synchronized (this) {
            requests.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(CDS).build());
            requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(LDS).build());
        }
    }

    private synchronized void onResponse(DiscoveryResponse r) {
        received.add(r);
        List<String> names = List.of();
        if (r.getTypeUrl().equals(EDS)) {
            names = List.copyOf(edsNames);
        }
        requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(r.getTypeUrl()).setVersionInfo(r.getVersionInfo())
                .setResponseNonce(r.getNonce()).addAllResourceNames(names).build());
        if (r.getTypeUrl().equals(CDS)) {
            Set<String> eds = new TreeSet<>();
            for (Any any : r.getResourcesList()) {
                Cluster c = unpack(any);
                if (c.getType() == Cluster.DiscoveryType.EDS) {
                    eds.add(c.getName());
                }
            }
            if (!eds.equals(edsNames)) {
                edsNames = eds;
                requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(EDS).addAllResourceNames(eds).build());
            }
        }
    }

    static Cluster unpack(Any any) {
        try {
            return any.unpack(Cluster.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static List<String> clusterNames(DiscoveryResponse r) {
        return r.getResourcesList().stream().map(a -> unpack(a).getName()).toList();
    }

    /** The next response of this type, skipping none: fails if another type arrives first or none in 15 s. */
    DiscoveryResponse next() {
        try {
            DiscoveryResponse r = received.poll(15, TimeUnit.SECONDS);
            assertThat(r).as("a response within 15 s").isNotNull();
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until the initial CDS, LDS and EDS arrived, then drains them. */
    public void awaitInitialConfig() {
        Set<String> seen = new TreeSet<>();
        while (!seen.containsAll(Set.of(CDS, LDS, EDS))) {
            seen.add(next().getTypeUrl());
        }
        drainQuiet(Duration.ofMillis(300));
    }

    /** The next response (waiting up to 15 s) and everything after it until nothing came for {@code quiet}. */
    List<DiscoveryResponse> nextBurst(Duration quiet) {
        List<DiscoveryResponse> out = new java.util.ArrayList<>();
        out.add(next());
        out.addAll(drainQuiet(quiet));
        return out;
    }

    /** Everything that arrives until nothing came for {@code quiet}. */
    List<DiscoveryResponse> drainQuiet(Duration quiet) {
        List<DiscoveryResponse> out = new java.util.ArrayList<>();
        try {
            DiscoveryResponse r;
            while ((r = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                out.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    @Override
    public void close() {
        synchronized (this) {
            try {
                requests.onCompleted();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
        channel.shutdownNow();
    }
}
