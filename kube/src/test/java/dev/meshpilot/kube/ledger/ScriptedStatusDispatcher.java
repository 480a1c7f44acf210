package dev.meshpilot.kube.ledger;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CRUD mock answering the next requests of one HTTP method with a scripted status, as a real API server does:
 * 409 Conflict on a {@code PUT} when another replica wrote the object since it was read, 404 on a {@code GET} of a
 * kind whose CRD is not installed. Every other request is served normally.
 */
final class ScriptedStatusDispatcher extends KubernetesCrudDispatcher {

    private record Script(int code, AtomicInteger left) {
    }

    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    ScriptedStatusDispatcher() {
        super(List.of());
    }

    /** Answers the next {@code times} requests of {@code method} with {@code code}. */
    void answerNext(String method, int code, int times) {
        scripts.put(method, new Script(code, new AtomicInteger(times)));
    }

    /** How many requests of {@code method} arrived. */
    int requests(String method) {
        return requests.getOrDefault(method, new AtomicInteger()).get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.computeIfAbsent(request.getMethod(), m -> new AtomicInteger()).incrementAndGet();
        Script script = scripts.get(request.getMethod());
        if (script != null && script.left().getAndDecrement() > 0) {
            return new MockResponse().setResponseCode(script.code()).setHeader("Content-Type", "application/json")
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
                            + script.code() + ",\"message\":\"scripted by the test\"}");
        }
        return super.dispatch(request);
    }
}
