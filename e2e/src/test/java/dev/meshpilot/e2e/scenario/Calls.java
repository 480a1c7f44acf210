package dev.meshpilot.e2e.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshpilot.e2e.harness.CallResult;
import dev.meshpilot.e2e.harness.XdsClientProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/** Waiting for what a real client observes, with the last call's result in every timeout message. */
final class Calls {

    /** Long enough for a JVM client's first xDS round trip on a busy 2-core machine. */
    static final Duration CONVERGENCE = Duration.ofSeconds(45);
    private static final Duration POLL = Duration.ofMillis(200);

    private Calls() {
    }

    /** Calls until every backend in {@code expected} has answered at least once. */
    static void awaitAnswersFrom(XdsClientProcess client, Set<String> expected) {
        Set<String> seen = new LinkedHashSet<>();
        AtomicReference<CallResult> last = new AtomicReference<>();
        await(client + " reaching " + expected).atMost(CONVERGENCE).pollInterval(POLL).untilAsserted(() -> {
            CallResult result = client.call();
            last.set(result);
            if (result.ok()) {
                seen.add(result.backend());
            }
            assertThat(seen).as("backends that answered %s; last call: %s", client, last.get())
                    .containsAll(expected);
        });
    }

    /** Calls until {@code count} consecutive calls all land on backends in {@code allowed}. */
    static void awaitOnlyAnswersFrom(XdsClientProcess client, Set<String> allowed, int count) {
        AtomicReference<List<CallResult>> last = new AtomicReference<>(List.of());
        await(client + " answered only by " + allowed).atMost(CONVERGENCE).pollInterval(POLL).untilAsserted(() -> {
            List<CallResult> results = calls(client, count);
            last.set(results);
            assertThat(results).as("%d consecutive calls of %s", count, client)
                    .allSatisfy(r -> assertThat(r.ok() && allowed.contains(r.backend())).as(r.toString()).isTrue());
        });
    }

    /** Calls until the client fails because the listener for its target does not exist for it. */
    static CallResult awaitListenerMissing(XdsClientProcess client) {
        AtomicReference<CallResult> last = new AtomicReference<>();
        await(client + " reporting that its listener does not exist").atMost(CONVERGENCE).pollInterval(POLL)
                .untilAsserted(() -> {
                    CallResult result = client.call();
                    last.set(result);
                    assertThat(result.listenerDoesNotExist()).as("last call: %s", result).isTrue();
                });
        return last.get();
    }

    static List<CallResult> calls(XdsClientProcess client, int count) {
        List<CallResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(client.call());
        }
        return results;
    }

    /** How many of {@code results} each backend answered (failures counted under their status code). */
    static Map<String, Integer> tally(List<CallResult> results) {
        Map<String, Integer> counts = new TreeMap<>();
        for (CallResult result : results) {
            counts.merge(result.ok() ? result.backend() : "ERR " + result.statusCode(), 1, Integer::sum);
        }
        return counts;
    }
}
