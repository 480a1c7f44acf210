package dev.meshpilot.server.accesslog;

import dev.meshpilot.server.logging.LogText;

import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.server.auth.AuthException;
import dev.meshpilot.server.auth.CallerIdentity;
import dev.meshpilot.server.auth.ConnectionAuthorizer;
import dev.meshpilot.server.auth.RefusalReason;
import dev.meshpilot.server.auth.XdsAuthenticator;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One proxy's access-log stream. The node comes from the first message's identifier (later identifiers are
 * ignored; only what resolving needs is kept, see {@link CallerResolver#slim}); it is resolved to a workload against the current snapshot, again whenever the snapshot changes while
 * it is unknown (a pod the registry has not seen yet). gRPC delivers one message at a time per stream; the
 * response observer is guarded by this object's lock because {@link #end} comes from the shutdown thread.
 */
final class AccessLogStream implements StreamObserver<StreamAccessLogsMessage> {
    private final AccessLogService.Context context;
    private final StreamObserver<StreamAccessLogsResponse> responses;
    private boolean first = true;
    private Node node = Node.getDefaultInstance();
    private long resolvedAt = Long.MIN_VALUE;
    private Optional<WorkloadKey> caller = Optional.empty();
    private boolean ended;
    /** The authenticated caller (TLS port), read from the gRPC context when the stream is created. */
    private final Optional<CallerIdentity> authenticated = XdsAuthenticator.currentCaller();

    AccessLogStream(AccessLogService.Context context, StreamObserver<StreamAccessLogsResponse> responses) {
        this.context = context;
        this.responses = responses;
    }

    @Override
    public void onNext(StreamAccessLogsMessage message) {
        if (first) {
            first = false;
            if (message.hasIdentifier()) {
                node = CallerResolver.slim(message.getIdentifier().getNode());
            }
            if (authenticated.isPresent() && !authorized(context.registry().get(), message)) {
                return;
            }
        }
        if (ended) {
            return;
        }
        MeshSnapshot snapshot = context.registry().get();
        if (caller.isEmpty() && resolvedAt != snapshot.version()) {
            resolvedAt = snapshot.version();
            caller = CallerResolver.resolve(node, snapshot);
        }
        Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
        int limit = context.maxEntriesPerMessage();
        if (message.hasHttpLogs()) {
            List<HTTPAccessLogEntry> entries = message.getHttpLogs().getLogEntryList();
            int read = Math.min(entries.size(), limit);
            count(dropped, DropReason.ENTRY_LIMIT, entries.size() - read);
            if (caller.isEmpty()) {
                count(dropped, DropReason.UNKNOWN_NODE, read);
            } else {
                for (int i = 0; i < read; i++) {
                    HTTPAccessLogEntry e = entries.get(i);
                    record(context.classifier().http(e, snapshot), e.getCommonProperties(), dropped);
                }
            }
        } else if (message.hasTcpLogs()) {
            List<TCPAccessLogEntry> entries = message.getTcpLogs().getLogEntryList();
            int read = Math.min(entries.size(), limit);
            count(dropped, DropReason.ENTRY_LIMIT, entries.size() - read);
            if (caller.isEmpty()) {
                count(dropped, DropReason.UNKNOWN_NODE, read);
            } else {
                for (int i = 0; i < read; i++) {
                    TCPAccessLogEntry e = entries.get(i);
                    record(context.classifier().tcp(e, snapshot), e.getCommonProperties(), dropped);
                }
            }
        }
        dropped.forEach((reason, n) -> context.metrics().dropped(reason.label(), n));
        if (dropped.containsKey(DropReason.UNKNOWN_NODE)) {
            context.log().warn(DropReason.UNKNOWN_NODE, () -> "access log: node " + LogText.safe(node.getId())
                    + " is not a pod of the registry; its entries are dropped");
        }
        if (dropped.containsKey(DropReason.BUFFER_FULL)) {
            context.log().warn(DropReason.BUFFER_FULL, () -> "access log: the buffer holds "
                    + context.buffer().capacity() + " distinct edges until the next flush; entries of new edges "
                    + "are dropped");
        }
    }

    /** The caller may claim this node (istiod's checkConnectionIdentity); otherwise the stream ends PERMISSION_DENIED. */
    private boolean authorized(MeshSnapshot snapshot, StreamAccessLogsMessage message) {
        try {
            ProxyIdentity claimed = CallerResolver.identity(node).orElseThrow(() -> new AuthException(
                    RefusalReason.NAMESPACE_MISMATCH, "the access-log identifier names no readable node"));
            ConnectionAuthorizer.check(authenticated.get(), claimed,
                    snapshot.findWorkload(claimed.podName(), claimed.namespace()));
            return true;
        } catch (AuthException e) {
            context.metrics().dropped(DropReason.UNAUTHORIZED_NODE.label(),
                    message.getHttpLogs().getLogEntryCount() + message.getTcpLogs().getLogEntryCount());
            context.log().warn(DropReason.UNAUTHORIZED_NODE, () -> "access log: refusing node "
                    + LogText.safe(node.getId()) + ": " + LogText.safe(e.getMessage()));
            synchronized (this) {
                if (!ended) {
                    ended = true;
                    responses.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
                }
            }
            context.streams().remove(this);
            return false;
        }
    }

    private void record(EntryOutcome outcome, AccessLogCommon common,
                        Map<DropReason, Long> dropped) {
        if (outcome instanceof EntryOutcome.Call call) {
            if (call.viaFallback()) {
                context.metrics().fallbackCall(caller.get(), 1);
                context.buffer().fallbackCall(caller.get());
            }
            Instant at = context.times().of(common);
            if (!context.buffer().add(new EdgeKey(caller.get(), call.destination(), call.protocol()), at)) {
                count(dropped, DropReason.BUFFER_FULL, 1);
            }
        } else if (outcome instanceof EntryOutcome.Dropped d) {
            count(dropped, d.reason(), 1);
        }
    }

    private static void count(Map<DropReason, Long> dropped, DropReason reason, long n) {
        if (n > 0) {
            dropped.merge(reason, n, Long::sum);
        }
    }

    @Override
    public void onError(Throwable t) {
        synchronized (this) {
            ended = true;
        }
        context.streams().remove(this);
    }

    @Override
    public void onCompleted() {
        synchronized (this) {
            if (!ended) {
                ended = true;
                responses.onNext(StreamAccessLogsResponse.getDefaultInstance());
                responses.onCompleted();
            }
        }
        context.streams().remove(this);
    }

    /** Ends the stream from the server side (shutdown): the proxy reconnects to another replica or later. */
    void end(String reason) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            responses.onError(Status.UNAVAILABLE.withDescription(reason).asRuntimeException());
        }
    }
}
