package dev.meshpilot.e2e.harness;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What an Envoy sidecar's access-log sink does: one {@code envoy.service.accesslog.v3.AccessLogService/
 * StreamAccessLogs} stream to the server's xDS port, through the Envoy API's generated gRPC stub over loopback,
 * identified by the proxy's Istio node id in the first message. {@link #send} completes the stream and returns
 * once the server has answered, i.e. has read every entry (learning them is then up to its flush interval).
 */
public final class AccessLogSender {

    private static final long ANSWER_SECONDS = 20;

    private AccessLogSender() {
    }

    /** Envoy's cluster name of an outbound call to {@code fqdn:port}, as Istio names clusters. */
    public static String outboundCluster(String fqdn, int port) {
        return "outbound|" + port + "||" + fqdn;
    }

    /**
     * Sends {@code httpCalls} HTTP/1.1 GET entries and {@code tcpConnections} TCP entries to {@code cluster} from
     * {@code proxy} on one stream (one message per kind), and waits until the server has read them.
     */
    public static void send(int xdsPort, ProxyNode proxy, String cluster, int httpCalls, int tcpConnections) {
        AccessLogCommon common = AccessLogCommon.newBuilder().setUpstreamCluster(cluster).build();
        StreamAccessLogsMessage.Identifier identifier = StreamAccessLogsMessage.Identifier.newBuilder()
                .setLogName("envoy_als").setNode(Node.newBuilder().setId(proxy.id())).build();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", xdsPort).usePlaintext().build();
        try {
            CompletableFuture<StreamAccessLogsResponse> answer = new CompletableFuture<>();
            StreamObserver<StreamAccessLogsMessage> requests = AccessLogServiceGrpc.newStub(channel)
                    .streamAccessLogs(new StreamObserver<>() {
                        @Override
                        public void onNext(StreamAccessLogsResponse response) {
                            answer.complete(response);
                        }

                        @Override
                        public void onError(Throwable t) {
                            answer.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            answer.complete(StreamAccessLogsResponse.getDefaultInstance());
                        }
                    });
            StreamAccessLogsMessage.Builder first = StreamAccessLogsMessage.newBuilder().setIdentifier(identifier);
            if (httpCalls > 0) {
                HTTPAccessLogEntry http = HTTPAccessLogEntry.newBuilder().setCommonProperties(common)
                        .setProtocolVersion(HTTPAccessLogEntry.HTTPVersion.HTTP11)
                        .setRequest(HTTPRequestProperties.newBuilder().setRequestMethod(RequestMethod.GET).setPath("/"))
                        .build();
                requests.onNext(first.setHttpLogs(StreamAccessLogsMessage.HTTPAccessLogEntries.newBuilder()
                        .addAllLogEntry(Collections.nCopies(httpCalls, http))).build());
                first = StreamAccessLogsMessage.newBuilder();
            }
            if (tcpConnections > 0) {
                TCPAccessLogEntry tcp = TCPAccessLogEntry.newBuilder().setCommonProperties(common).build();
                requests.onNext(first.setTcpLogs(StreamAccessLogsMessage.TCPAccessLogEntries.newBuilder()
                        .addAllLogEntry(Collections.nCopies(tcpConnections, tcp))).build());
            }
            requests.onCompleted();
            answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the access-log stream to 127.0.0.1:" + xdsPort + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            channel.shutdownNow();
        }
    }
}
