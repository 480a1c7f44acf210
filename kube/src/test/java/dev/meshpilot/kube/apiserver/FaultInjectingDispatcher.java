package dev.meshpilot.kube.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CRUD mock API server with scripted failures: the next matching GET (a list, or a watch) is answered with an
 * error status instead, as a real API server does on {@code 410 Gone} (resource version compacted) or a 5xx.
 */
final class FaultInjectingDispatcher extends KubernetesCrudDispatcher {

    private record Fault(String pathPrefix, boolean watch, int code, AtomicInteger remaining) {
    }

    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger injected = new AtomicInteger();

    FaultInjectingDispatcher() {
        super(List.of());
    }

    /** Answers the next {@code times} watch requests under {@code pathPrefix} with {@code code}. */
    void failWatches(String pathPrefix, int code, int times) {
        faults.add(new Fault(pathPrefix, true, code, new AtomicInteger(times)));
    }

    /** Answers the next {@code times} list requests under {@code pathPrefix} with {@code code}. */
    void failLists(String pathPrefix, int code, int times) {
        faults.add(new Fault(pathPrefix, false, code, new AtomicInteger(times)));
    }

    int injected() {
        return injected.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        if ("GET".equals(request.getMethod())) {
            boolean watch = path.contains("watch=true");
            for (Fault f : faults) {
                if (f.watch() == watch && path.startsWith(f.pathPrefix()) && f.remaining().getAndDecrement() > 0) {
                    injected.incrementAndGet();
                    return new MockResponse().setResponseCode(f.code()).setHeader("Content-Type", "application/json")
                            .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
                                    + f.code() + ",\"reason\":\"" + (f.code() == 410 ? "Expired" : "InternalError")
                                    + "\",\"message\":\"injected by the test\"}");
                }
            }
        }
        return super.dispatch(request);
    }
}
