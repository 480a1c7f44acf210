package dev.meshpilot.server.logging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * At most one warning per key (a reason: an enum constant or a fixed string) per period; the next line of that key
 * says how many were suppressed. What clients send cannot fill the log. Keys must come from a small fixed set (never
 * from client text), so the map stays small. Thread-safe.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final Clock clock;
    private final Duration period;
    private final Map<Object, Instant> lastLogged = new HashMap<>();
    private final Map<Object, Long> suppressed = new HashMap<>();

    public RateLimitedLog(Logger log, Clock clock, Duration period) {
        this.log = log;
        this.clock = clock;
        this.period = period;
    }

    /**
     * Logs the message unless one of this key was logged less than a period ago.
     *
     * @return true when the line was written, false when it was suppressed (and counted)
     */
    public boolean warn(Object key, Supplier<String> message) {
        Instant now = clock.instant();
        long skipped;
        synchronized (this) {
            Instant last = lastLogged.get(key);
            if (last != null && now.isBefore(last.plus(period))) {
                suppressed.merge(key, 1L, Long::sum);
                return false;
            }
            lastLogged.put(key, now);
            Long s = suppressed.remove(key);
            skipped = s == null ? 0 : s;
        }
        log.warning(() -> message.get() + (skipped == 0 ? "" : " (" + skipped + " similar messages suppressed)"));
        return true;
    }
}
