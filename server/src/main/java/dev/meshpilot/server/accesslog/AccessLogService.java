package dev.meshpilot.server.accesslog;

import dev.meshpilot.server.logging.RateLimitedLog;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.server.metrics.LearningMetrics;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.stub.StreamObserver;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Envoy's access-log service ({@code envoy.service.accesslog.v3.AccessLogService/StreamAccessLogs}): each stream's
 * entries are read into the {@link EdgeBuffer}, which the {@link AccessLogFlusher} hands to the ledger. Built and
 * owned by {@link AccessLogLearning}.
 */
final class AccessLogService extends AccessLogServiceGrpc.AccessLogServiceImplBase {

    /** What every stream shares. */
    record Context(Supplier<MeshSnapshot> registry, EntryClassifier classifier, EntryTimes times, EdgeBuffer buffer,
                   LearningMetrics metrics, RateLimitedLog log, Set<AccessLogStream> streams,
                   int maxEntriesPerMessage) {
    }

    private final Context context;

    AccessLogService(Context context) {
        this.context = context;
    }

    @Override
    public StreamObserver<StreamAccessLogsMessage> streamAccessLogs(StreamObserver<StreamAccessLogsResponse> responses) {
        AccessLogStream stream = new AccessLogStream(context, responses);
        context.streams().add(stream);
        return stream;
    }
}
