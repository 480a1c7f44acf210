package dev.meshpilot.server.accesslog;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.xds.naming.ClusterName;
import dev.meshpilot.xds.naming.XdsNames;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads what one access-log entry says the caller called, from its upstream cluster:
 * <ul>
 *   <li>{@code outbound|PORT|SUBSET|FQDN} (parsed by {@link ClusterName}): {@code FQDN:PORT};</li>
 *   <li>{@code PassthroughCluster} and {@code BlackHoleCluster}: the original destination
 *       ({@code downstream_local_address}) mapped through the registry's VIPs and endpoint addresses to a service,
 *       else kept as {@code IP:PORT} (an unknown destination, reported but never served); a registered one is a
 *       call through a fallback path (its caller's scope did not hold it);</li>
 *   <li>inbound clusters and {@code InboundPassthroughCluster}: traffic into the pod, not a call;</li>
 *   <li>anything else, a port of 0 or a host that is not a DNS name: dropped ({@code unknown_cluster}).</li>
 * </ul>
 * The protocol is TCP for TCP entries. An HTTP entry is GRPC when its request's {@code content-type} header (when
 * the proxy logs it) starts with {@code application/grpc}, or, since Istio's default access-log format carries no
 * request headers, when it is a {@code POST} over HTTP/2 to a path shaped {@code /package.Service/Method} (a
 * package-qualified service, one method segment: REST paths rarely look like that); else HTTP.
 */
final class EntryClassifier {
    /** Longest DNS name. */
    static final int MAX_HOST_LENGTH = 253;
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9*]([a-z0-9.-]*[a-z0-9])?");
    private static final Pattern GRPC_PATH = Pattern.compile("/[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+/[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_GRPC_PATH = 512;

    private final AddressBooks books;

    EntryClassifier(AddressBooks books) {
        this.books = books;
    }

    EntryOutcome http(HTTPAccessLogEntry entry, MeshSnapshot snapshot) {
        return classify(entry.getCommonProperties(), isGrpc(entry) ? CallProtocol.GRPC : CallProtocol.HTTP, snapshot);
    }

    EntryOutcome tcp(TCPAccessLogEntry entry, MeshSnapshot snapshot) {
        return classify(entry.getCommonProperties(), CallProtocol.TCP, snapshot);
    }

    private EntryOutcome classify(AccessLogCommon common, CallProtocol protocol, MeshSnapshot snapshot) {
        String cluster = common.getUpstreamCluster();
        if (cluster.isEmpty()) {
            return new EntryOutcome.Dropped(DropReason.NO_UPSTREAM);
        }
        if (cluster.equals(XdsNames.INBOUND_PASSTHROUGH_CLUSTER)) {
            return new EntryOutcome.NotACall();
        }
        if (cluster.equals(XdsNames.PASSTHROUGH_CLUSTER) || cluster.equals(XdsNames.BLACK_HOLE_CLUSTER)) {
            return originalDestination(common, protocol, snapshot);
        }
        Optional<ClusterName> parsed = ClusterName.parse(cluster);
        if (parsed.isEmpty()) {
            return new EntryOutcome.Dropped(DropReason.UNKNOWN_CLUSTER);
        }
        ClusterName name = parsed.get();
        if (name.isInbound()) {
            return new EntryOutcome.NotACall();
        }
        String host = name.hostname().toLowerCase(Locale.ROOT);
        if (name.port() == 0 || host.length() > MAX_HOST_LENGTH || !DNS_NAME.matcher(host).matches()) {
            return new EntryOutcome.Dropped(DropReason.UNKNOWN_CLUSTER);
        }
        return new EntryOutcome.Call(new Destination(host, name.port()), protocol);
    }

    private EntryOutcome originalDestination(AccessLogCommon common, CallProtocol protocol, MeshSnapshot snapshot) {
        SocketAddress socket = common.getDownstreamLocalAddress().getSocketAddress();
        String address = socket.getAddress();
        int port = socket.getPortValue();
        if (port < 1 || port > 65_535 || address.length() > 45 || !AddressBook.isIpLiteral(address)) {
            return new EntryOutcome.Dropped(DropReason.INVALID_ADDRESS);
        }
        Optional<Destination> registered = books.of(snapshot).lookup(address, port);
        return registered.map(d -> new EntryOutcome.Call(d, protocol, true))
                .orElseGet(() -> new EntryOutcome.Call(new Destination(address, port), protocol));
    }

    static boolean isGrpc(HTTPAccessLogEntry entry) {
        HTTPRequestProperties request = entry.getRequest();
        String contentType = request.getRequestHeadersMap().getOrDefault("content-type", "");
        if (contentType.toLowerCase(Locale.ROOT).startsWith("application/grpc")) {
            return true;
        }
        String path = request.getPath();
        return request.getRequestMethod() == RequestMethod.POST
                && entry.getProtocolVersion() == HTTPAccessLogEntry.HTTPVersion.HTTP2
                && path.length() <= MAX_GRPC_PATH && GRPC_PATH.matcher(path).matches();
    }
}
