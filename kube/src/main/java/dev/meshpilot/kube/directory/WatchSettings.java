package dev.meshpilot.kube.directory;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DirectoryWatcher} watches.
 *
 * @param pollInterval  how often the directory is listed even without change notifications (default 200 ms)
 * @param settleWindow  how long a suspicious file (empty, unreadable, with a malformed document, or losing objects it
 *                      had) must stay unchanged (size, modification time and content hash) before it is applied as
 *                      it is (default 2 s); until then its last good objects are served
 * @param stallAfter    a source that has not completed a listing for this long is reported as stalled (default 30 s)
 * @param parseThreads  threads parsing files off the watcher's thread (default 2); one slow file cannot hold back
 *                      the others while a thread is free
 * @param limits        size bounds checked before parsing
 */
public record WatchSettings(Duration pollInterval, Duration settleWindow, Duration stallAfter, int parseThreads,
                            ParseLimits limits) {

    public static final WatchSettings DEFAULT = new WatchSettings(Duration.ofMillis(200), Duration.ofSeconds(2),
            Duration.ofSeconds(30), 2, ParseLimits.DEFAULT);

    public WatchSettings {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(settleWindow, "settleWindow");
        Objects.requireNonNull(stallAfter, "stallAfter");
        Objects.requireNonNull(limits, "limits");
        if (pollInterval.isNegative() || pollInterval.isZero() || settleWindow.isNegative()
                || stallAfter.compareTo(pollInterval) <= 0) {
            throw new IllegalArgumentException("pollInterval must be positive, settleWindow not negative and "
                    + "stallAfter longer than pollInterval");
        }
        if (parseThreads < 1) {
            throw new IllegalArgumentException("parseThreads must be at least 1");
        }
    }

    public WatchSettings withPollInterval(Duration interval) {
        return new WatchSettings(interval, settleWindow, stallAfter.compareTo(interval) > 0 ? stallAfter
                : interval.multipliedBy(10), parseThreads, limits);
    }

    public WatchSettings withSettleWindow(Duration window) {
        return new WatchSettings(pollInterval, window, stallAfter, parseThreads, limits);
    }

    public WatchSettings withLimits(ParseLimits newLimits) {
        return new WatchSettings(pollInterval, settleWindow, stallAfter, parseThreads, newLimits);
    }
}
