package dev.meshpilot.e2e.ads;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A simulated proxyless gRPC proxy speaking state-of-the-world ADS the way grpc-java does: it asks for one
 * listener by name, then follows the references (route config, clusters, EDS names), ACKs every response at
 * once, and records when it ACKed each endpoint update. Many of these make the push-latency measurement.
 */
public final class SotwProxylessClient implements AutoCloseable {

    /** One acknowledged endpoint update: when the ACK left (System.nanoTime) and the endpoint ports it held. */
    public record EndpointAck(long ackNanos, List<Integer> ports) {
    }

    private final ManagedChannel channel;
    private final Node node;
    private final String listenerName;
    private final StreamObserver<DiscoveryRequest> requests;
    private final Map<String, Set<String>> subscriptions = new HashMap<>();
    private final Map<String, DiscoveryResponse> lastAccepted = new HashMap<>();
    private final Queue<EndpointAck> endpointAcks = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private boolean nodeSent;

    private SotwProxylessClient(int xdsPort, Node node, String listenerName) {
        this.node = node;
        this.listenerName = listenerName;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", xdsPort).usePlaintext().build();
        this.requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse response) {
                try {
                    accept(response);
                } catch (RuntimeException | AssertionError e) {
                    failure.compareAndSet(null, e);
                }
            }

            @Override
            public void onError(Throwable t) {
                failure.compareAndSet(null, t);
            }

            @Override
            public void onCompleted() {
                failure.compareAndSet(null, new IllegalStateException("server completed the stream"));
            }
        });
    }

    /** Connects and subscribes to {@code listenerName} (a {@code FQDN:PORT}). */
    public static SotwProxylessClient connect(int xdsPort, Node node, String listenerName) {
        SotwProxylessClient client = new SotwProxylessClient(xdsPort, node, listenerName);
        client.subscribe(TypeUrls.LISTENER, Set.of(listenerName));
        return client;
    }

    public String nodeId() {
        return node.getId();
    }

    /** The first endpoint update ACKed at or after {@code sinceNanos} whose ports satisfy {@code wanted}. */
    public java.util.Optional<EndpointAck> firstEndpointAckSince(long sinceNanos,
            java.util.function.Predicate<List<Integer>> wanted) {
        return endpointAcks.stream().filter(a -> a.ackNanos() >= sinceNanos && wanted.test(a.ports())).findFirst();
    }

    public java.util.Optional<Throwable> failure() {
        return java.util.Optional.ofNullable(failure.get());
    }

    @Override
    public void close() {
        try {
            synchronized (this) {
                requests.onCompleted();
            }
        } catch (RuntimeException ignored) {
            // stream already gone
        }
        channel.shutdownNow();
    }

    private synchronized void accept(DiscoveryResponse response) {
        String type = response.getTypeUrl();
        lastAccepted.put(type, response);
        send(type, subscriptions.getOrDefault(type, Set.of()));
        long ackedAt = System.nanoTime();
        switch (type) {
            case TypeUrls.LISTENER -> follow(response, TypeUrls.ROUTE, listenerName,
                    any -> Set.of(XdsChain.routeConfigName(any)));
            case TypeUrls.ROUTE -> follow(response, TypeUrls.CLUSTER, null, XdsChain::clusterNames);
            case TypeUrls.CLUSTER -> follow(response, TypeUrls.ENDPOINT, null, any -> Set.of(XdsChain.edsServiceName(any)));
            case TypeUrls.ENDPOINT -> {
                List<Integer> ports = new ArrayList<>();
                for (Any resource : response.getResourcesList()) {
                    ports.addAll(XdsChain.endpointPorts(resource));
                }
                endpointAcks.add(new EndpointAck(ackedAt, List.copyOf(ports)));
            }
            default -> {
                // a type we never asked for: ACKed above and otherwise ignored
            }
        }
    }

    /** Subscribes to the names {@code response}'s resources refer to, when they differ from the current set. */
    private void follow(DiscoveryResponse response, String nextType, String onlyResource,
            java.util.function.Function<Any, Set<String>> references) {
        Set<String> names = new TreeSet<>();
        for (Any resource : response.getResourcesList()) {
            if (onlyResource == null || resourceName(resource).equals(onlyResource)) {
                names.addAll(references.apply(resource));
            }
        }
        if (!names.equals(subscriptions.getOrDefault(nextType, Set.of()))) {
            subscribe(nextType, names);
        }
    }

    private synchronized void subscribe(String type, Set<String> names) {
        subscriptions.put(type, Set.copyOf(names));
        send(type, names);
    }

    /** A request for {@code type}: the names wanted plus the version and nonce of the last accepted response. */
    private synchronized void send(String type, Set<String> names) {
        DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder().setTypeUrl(type).addAllResourceNames(names);
        DiscoveryResponse accepted = lastAccepted.get(type);
        if (accepted != null) {
            request.setVersionInfo(accepted.getVersionInfo()).setResponseNonce(accepted.getNonce());
        }
        if (!nodeSent) {
            request.setNode(node);
            nodeSent = true;
        }
        requests.onNext(request.build());
    }

    private static String resourceName(Any resource) {
        return XdsChain.unpack(resource, io.envoyproxy.envoy.config.listener.v3.Listener.class).getName();
    }
}
