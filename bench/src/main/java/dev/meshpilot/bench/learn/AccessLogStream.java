package dev.meshpilot.bench.learn;

import com.google.protobuf.Timestamp;
import dev.meshpilot.bench.client.SimClient;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.stub.StreamObserver;

import java.util.List;

/**
 * One simulated proxy's {@code StreamAccessLogs} stream, on the channel of its ADS stream, as Envoy's
 * {@code envoy.access_loggers.http_grpc}/{@code tcp_grpc} sinks open it to the {@code xds-grpc} cluster: the first
 * message carries the proxy's node and the log name, later ones only entries.
 */
final class AccessLogStream {

    private final SimClient client;
    private StreamObserver<StreamAccessLogsMessage> requests;
    private boolean identified;
    private volatile String failure;

    AccessLogStream(SimClient client) {
        this.client = client;
    }

    String failure() {
        return failure;
    }

    /** Sends the entries of some calls (HTTP ones in one message, TCP ones in another). */
    synchronized void send(List<HTTPAccessLogEntry> http, List<TCPAccessLogEntry> tcp) {
        if (requests == null) {
            requests = AccessLogServiceGrpc.newStub(client.channel()).streamAccessLogs(new StreamObserver<>() {
                @Override
                public void onNext(StreamAccessLogsResponse value) {
                }

                @Override
                public void onError(Throwable t) {
                    failure = t.toString();
                }

                @Override
                public void onCompleted() {
                }
            });
        }
        if (!http.isEmpty()) {
            requests.onNext(message().setHttpLogs(StreamAccessLogsMessage.HTTPAccessLogEntries.newBuilder()
                    .addAllLogEntry(http)).build());
        }
        if (!tcp.isEmpty()) {
            requests.onNext(message().setTcpLogs(StreamAccessLogsMessage.TCPAccessLogEntries.newBuilder()
                    .addAllLogEntry(tcp)).build());
        }
    }

    private StreamAccessLogsMessage.Builder message() {
        StreamAccessLogsMessage.Builder message = StreamAccessLogsMessage.newBuilder();
        if (!identified) {
            message.setIdentifier(StreamAccessLogsMessage.Identifier.newBuilder()
                    .setNode(client.proxy().toNode(false)).setLogName("meshpilot-learning"));
            identified = true;
        }
        return message;
    }

    synchronized void close() {
        if (requests != null) {
            try {
                requests.onCompleted();
            } catch (RuntimeException ignored) {
                // the channel is going away
            }
        }
    }

    /** The common part Envoy fills for a call: upstream cluster, original destination, caller address, time. */
    static AccessLogCommon common(String cluster, String address, int port, String callerIp, long epochMillis) {
        return AccessLogCommon.newBuilder().setUpstreamCluster(cluster)
                .setDownstreamLocalAddress(socket(address, port))
                .setDownstreamRemoteAddress(socket(callerIp, 40000))
                .setStartTime(Timestamp.newBuilder().setSeconds(epochMillis / 1000)
                        .setNanos((int) (epochMillis % 1000) * 1_000_000))
                .build();
    }

    static HTTPAccessLogEntry http(AccessLogCommon common, String host, int port, boolean grpc) {
        HTTPRequestProperties.Builder request = HTTPRequestProperties.newBuilder().setAuthority(host + ":" + port);
        if (grpc) {
            request.setRequestMethod(RequestMethod.POST).setPath("/meshpilot.bench.Sim/Call")
                    .putRequestHeaders("content-type", "application/grpc");
        } else {
            request.setRequestMethod(RequestMethod.GET).setPath("/");
        }
        return HTTPAccessLogEntry.newBuilder().setCommonProperties(common)
                .setProtocolVersion(grpc ? HTTPAccessLogEntry.HTTPVersion.HTTP2 : HTTPAccessLogEntry.HTTPVersion.HTTP11)
                .setRequest(request).setResponse(HTTPResponseProperties.newBuilder()
                        .setResponseCode(com.google.protobuf.UInt32Value.of(200)))
                .build();
    }

    static TCPAccessLogEntry tcp(AccessLogCommon common) {
        return TCPAccessLogEntry.newBuilder().setCommonProperties(common).build();
    }

    private static Address socket(String ip, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port))
                .build();
    }
}
