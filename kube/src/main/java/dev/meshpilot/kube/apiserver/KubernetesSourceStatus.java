package dev.meshpilot.kube.apiserver;

import dev.meshpilot.kube.convert.ConversionProblem;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link KubernetesSource} is doing, for readiness, debug pages and logs.
 *
 * @param synced       every initial list has synced and was handed to the registry (readiness)
 * @param apiReachable false during an outage episode (the last state is served meanwhile)
 * @param outageSince  when the current outage began
 * @param outageCause  the first error of the current outage
 * @param kinds        per kind: the apiVersion read and its state ({@code watching}, {@code syncing} while
 *                     (re)listing, {@code discovering}, {@code not_served}), e.g. {@code Sidecar -> "networking.istio.io/v1 watching"}
 * @param objects      Kubernetes objects currently held
 * @param problems     objects skipped because they do not convert, one message each
 */
public record KubernetesSourceStatus(boolean synced, boolean apiReachable, Optional<Instant> outageSince,
                                     Optional<String> outageCause, Map<String, String> kinds, int objects,
                                     List<ConversionProblem> problems) {
    public KubernetesSourceStatus {
        kinds = Collections.unmodifiableMap(new LinkedHashMap<>(kinds));
        problems = List.copyOf(problems);
    }
}
