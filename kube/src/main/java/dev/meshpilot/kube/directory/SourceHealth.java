package dev.meshpilot.kube.directory;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How the directory source is doing, for {@code /ready}: when it last listed the directory successfully and what
 * keeps it from reading the directory now, if anything. Per-file problems (a malformed file keeps its last good
 * objects) do not make a source unhealthy; a directory that cannot be listed, vanished or was emptied does, and so
 * does a watcher that has not completed a listing for {@code stallAfter}.
 *
 * @param lastSuccessfulScan when a listing last succeeded ({@link Instant#EPOCH} before the first)
 * @param lastScanAttempt    when the watcher last tried to list
 * @param problem            what is wrong with the directory now, if anything
 * @param stalled            whether no listing was attempted within the stall bound
 */
public record SourceHealth(Instant lastSuccessfulScan, Instant lastScanAttempt, Optional<String> problem,
                           boolean stalled) {

    public SourceHealth {
        Objects.requireNonNull(lastSuccessfulScan, "lastSuccessfulScan");
        Objects.requireNonNull(lastScanAttempt, "lastScanAttempt");
        Objects.requireNonNull(problem, "problem");
    }

    public boolean healthy() {
        return problem.isEmpty() && !stalled;
    }

    /** One line for logs and {@code /ready}: {@code ok} or what is wrong. */
    public String describe() {
        if (stalled) {
            return "registry watcher stalled: no listing since " + lastScanAttempt;
        }
        return problem.map(p -> p + " (last successful scan " + lastSuccessfulScan + ")")
                .orElse("ok (last successful scan " + lastSuccessfulScan + ")");
    }
}
