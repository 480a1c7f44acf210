package dev.meshpilot.e2e.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/** Waiting for what a real client observes, with the last call's result in every timeout message. */
public final class Calls {

    /** Long enough for a JVM client's first xDS round trip on a busy 2-core machine. */
    public static final Duration CONVERGENCE = Duration.ofSeconds(45);
    private static final Duration POLL = Duration.ofMillis(200);

    private Calls() {
    }

    /** Calls until every backend in {@code expected} has answered at least once. */
    public static void awaitAnswersFrom(XdsClientProcess client, Set<String> expected) {
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
    public static void awaitOnlyAnswersFrom(XdsClientProcess client, Set<String> allowed, int count) {
        AtomicReference<List<CallResult>> last = new AtomicReference<>(List.of());
        await(client + " answered only by " + allowed).atMost(CONVERGENCE).pollInterval(POLL).untilAsserted(() -> {
            List<CallResult> results = calls(client, count);
            last.set(results);
            assertThat(results).as("%d consecutive calls of %s", count, client)
                    .allSatisfy(r -> assertThat(r.ok() && allowed.contains(r.backend())).as(r.toString()).isTrue());
        });
    }

    /**
     * Calls until a call fails and the client has reported that the listener for its target does not exist,
     * either in the call's status (grpc-java) or in its own output since this wait began (grpc-js-xds, whose
     * calls just wait for name resolution). A client concludes this for a listener it never had only when its
     * does-not-exist timer (15 s) fires, so this wait takes that long in the seed scenario.
     */
    public static CallResult awaitListenerMissing(XdsClientProcess client) {
        int mark = client.outputMark();
        AtomicReference<CallResult> last = new AtomicReference<>();
        await(client + " reporting that its listener does not exist").atMost(CONVERGENCE).pollInterval(POLL)
                .untilAsserted(() -> {
                    CallResult result = client.call();
                    last.set(result);
                    boolean reported = result.listenerDoesNotExist()
                            || (!result.ok() && client.printedSince(mark, CallResult::reportsMissingListener));
                    assertThat(reported).as("last call: %s", result).isTrue();
                });
        return last.get();
    }

    public static List<CallResult> calls(XdsClientProcess client, int count) {
        List<CallResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(client.call());
        }
        return results;
    }

    /** {@code count} calls to {@code xds:///hostAndPort} through the client's channel for that target. */
    public static List<CallResult> calls(XdsClientProcess client, String hostAndPort, int count) {
        List<CallResult> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(client.call(hostAndPort));
        }
        return results;
    }

    /** How many of {@code results} each backend answered (failures counted under their status code). */
    public static Map<String, Integer> tally(List<CallResult> results) {
        Map<String, Integer> counts = new TreeMap<>();
        for (CallResult result : results) {
            counts.merge(result.ok() ? result.backend() : "ERR " + result.statusCode(), 1, Integer::sum);
        }
        return counts;
    }
}
