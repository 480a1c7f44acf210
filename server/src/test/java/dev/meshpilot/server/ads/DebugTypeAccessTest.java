package dev.meshpilot.server.ads;

import dev.meshpilot.server.metrics.ServerMetrics;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Who may ask for Istio's debug types: a server listening on every address answers a client on a loopback address
 * and closes the stream of a client on another address with PERMISSION_DENIED, without ever asking the handler.
 */
class DebugTypeAccessTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final List<DebugRequest> handled = new CopyOnWriteArrayList<>();
    private Server server;

    @BeforeEach
    void start() throws Exception {
        ProxyConfigSource source = new ProxyConfigSource() {
            @Override
            public Attachment attach(ProxyConnection connection) {
                return new Attachment("p.ns", "ns", ResourceSet.empty());
            }

            @Override
            public void detach(ProxyConnection connection) {
            }
        };
        DebugXdsHandler handler = request -> {
            handled.add(request);
            return new DebugAnswer("7", io.envoyproxy.envoy.config.core.v3.ControlPlane.getDefaultInstance(),
                    List.of(Resource.newBuilder().setName("x").setResource(com.google.protobuf.Any.pack(
                            Node.newBuilder().setId("answered").build())).build()));
        };
        AdsService ads = new AdsService(source, new ConnectionRegistry(),
                new ServerMetrics(new SimpleMeterRegistry()), pool, handler);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("0.0.0.0", 0)).addService(ads.bindable())
                .build().start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        pool.shutdownNow();
    }

    @Test
    void loopbackClient_isAnswered() throws Exception {
        Outcome o = ask("127.0.0.1");
        assertThat(o.response().getResourcesCount()).isEqualTo(1);
        assertThat(o.response().getVersionInfo()).isEqualTo("7");
        assertThat(handled).singleElement().satisfies(r -> {
            assertThat(r.loopbackPeer()).isTrue();
            assertThat(r.caller().getId()).isEqualTo("sidecar~1.2.3.4~istioctl.istio-system~istio-system.svc.cluster.local");
        });
    }

    @Test
    void clientOnANonLoopbackAddress_isRefusedWithPermissionDenied_andAMessage() throws Exception {
        Optional<InetAddress> external = nonLoopbackAddress();
        assumeThat(external).as("this host has a non-loopback IPv4 address").isPresent();
        Outcome o = ask(external.get().getHostAddress());
        assertThat(o.error()).isNotNull();
        Status status = Status.fromThrowable(o.error());
        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription()).contains("istio.io/debug/syncz").contains("loopback");
        assertThat(handled).isEmpty();
    }

    private record Outcome(DiscoveryResponse response, Throwable error) {
    }

    private Outcome ask(String host) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, server.getPort()).usePlaintext().build();
        try {
            CompletableFuture<Outcome> outcome = new CompletableFuture<>();
            var requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(
                    new io.grpc.stub.StreamObserver<DiscoveryResponse>() {
                        @Override
                        public void onNext(DiscoveryResponse value) {
                            outcome.complete(new Outcome(value, null));
                        }

                        @Override
                        public void onError(Throwable t) {
                            outcome.complete(new Outcome(null, t));
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(DebugTypes.SYNCZ)
                    .setNode(Node.newBuilder().setId("sidecar~1.2.3.4~istioctl.istio-system~istio-system.svc.cluster.local"))
                    .build());
            return outcome.get(15, TimeUnit.SECONDS);
        } finally {
            channel.shutdownNow();
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }
}
