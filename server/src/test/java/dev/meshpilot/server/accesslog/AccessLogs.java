package dev.meshpilot.server.accesslog;

import com.google.protobuf.Timestamp;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;

import java.time.Instant;
import java.util.List;

/** Access-log messages as Envoy sends them (Istio's node id, entries with upstream cluster and original address). */
public final class AccessLogs {
    private AccessLogs() {
    }

    /** Istio's sidecar node id of {@code POD.NS}. */
    public static String nodeId(String podDotNs) {
        String ns = podDotNs.substring(podDotNs.indexOf('.') + 1);
        return "sidecar~10.1.1.1~" + podDotNs + "~" + ns + ".svc.cluster.local";
    }

    public static StreamAccessLogsMessage.Identifier identifier(String nodeId) {
        return StreamAccessLogsMessage.Identifier.newBuilder().setLogName("envoy_als")
                .setNode(Node.newBuilder().setId(nodeId)).build();
    }

    public static AccessLogCommon common(String cluster) {
        return AccessLogCommon.newBuilder().setUpstreamCluster(cluster).build();
    }

    public static AccessLogCommon common(String cluster, String originalIp, int originalPort) {
        return AccessLogCommon.newBuilder().setUpstreamCluster(cluster)
                .setDownstreamLocalAddress(Address.newBuilder().setSocketAddress(
                        SocketAddress.newBuilder().setAddress(originalIp).setPortValue(originalPort)))
                .build();
    }

    public static AccessLogCommon at(AccessLogCommon common, Instant at) {
        return common.toBuilder().setStartTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond())
                .setNanos(at.getNano())).build();
    }

    public static HTTPAccessLogEntry http(AccessLogCommon common) {
        return HTTPAccessLogEntry.newBuilder().setCommonProperties(common)
                .setProtocolVersion(HTTPAccessLogEntry.HTTPVersion.HTTP11)
                .setRequest(HTTPRequestProperties.newBuilder().setRequestMethod(RequestMethod.GET).setPath("/"))
                .build();
    }

    public static HTTPAccessLogEntry grpc(AccessLogCommon common, String path) {
        return HTTPAccessLogEntry.newBuilder().setCommonProperties(common)
                .setProtocolVersion(HTTPAccessLogEntry.HTTPVersion.HTTP2)
                .setRequest(HTTPRequestProperties.newBuilder().setRequestMethod(RequestMethod.POST).setPath(path))
                .build();
    }

    public static TCPAccessLogEntry tcp(AccessLogCommon common) {
        return TCPAccessLogEntry.newBuilder().setCommonProperties(common).build();
    }

    public static StreamAccessLogsMessage httpMessage(StreamAccessLogsMessage.Identifier identifier,
                                               List<HTTPAccessLogEntry> entries) {
        StreamAccessLogsMessage.Builder b = StreamAccessLogsMessage.newBuilder()
                .setHttpLogs(StreamAccessLogsMessage.HTTPAccessLogEntries.newBuilder().addAllLogEntry(entries));
        if (identifier != null) {
            b.setIdentifier(identifier);
        }
        return b.build();
    }

    public static StreamAccessLogsMessage tcpMessage(StreamAccessLogsMessage.Identifier identifier,
                                              List<TCPAccessLogEntry> entries) {
        StreamAccessLogsMessage.Builder b = StreamAccessLogsMessage.newBuilder()
                .setTcpLogs(StreamAccessLogsMessage.TCPAccessLogEntries.newBuilder().addAllLogEntry(entries));
        if (identifier != null) {
            b.setIdentifier(identifier);
        }
        return b.build();
    }
}
