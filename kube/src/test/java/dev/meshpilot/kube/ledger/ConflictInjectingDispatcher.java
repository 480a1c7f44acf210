package dev.meshpilot.kube.ledger;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CRUD mock answering the next {@code PUT}s with 409 Conflict, as a real API server does when another replica
 * wrote the object since it was read; every other request is served normally.
 */
final class ConflictInjectingDispatcher extends KubernetesCrudDispatcher {

    private final AtomicInteger conflictsLeft = new AtomicInteger();
    private final AtomicInteger puts = new AtomicInteger();

    ConflictInjectingDispatcher() {
        super(List.of());
    }

    void conflictOnNextPuts(int times) {
        conflictsLeft.set(times);
    }

    int puts() {
        return puts.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if ("PUT".equals(request.getMethod())) {
            puts.incrementAndGet();
            if (conflictsLeft.getAndDecrement() > 0) {
                return new MockResponse().setResponseCode(409).setHeader("Content-Type", "application/json")
                        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":409,"
                                + "\"reason\":\"Conflict\",\"message\":\"the object has been modified (injected)\"}");
            }
        }
        return super.dispatch(request);
    }
}
