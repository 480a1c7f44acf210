package dev.meshpilot.server.accesslog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * At most one warning per {@link DropReason} per period; the next line says how many were suppressed. What
 * clients send cannot fill the log.
 */
final class RateLimitedLog {
    private final Logger log;
    private final Clock clock;
    private final Duration period;
    private final Map<DropReason, Instant> lastLogged = new EnumMap<>(DropReason.class);
    private final Map<DropReason, Long> suppressed = new EnumMap<>(DropReason.class);

    RateLimitedLog(Logger log, Clock clock, Duration period) {
        this.log = log;
        this.clock = clock;
        this.period = period;
    }

    /** Logs the message unless one of this reason was logged less than a period ago. */
    void warn(DropReason reason, Supplier<String> message) {
        Instant now = clock.instant();
        long skipped;
        synchronized (this) {
            Instant last = lastLogged.get(reason);
            if (last != null && now.isBefore(last.plus(period))) {
                suppressed.merge(reason, 1L, Long::sum);
                return;
            }
            lastLogged.put(reason, now);
            Long s = suppressed.remove(reason);
            skipped = s == null ? 0 : s;
        }
        log.warning(() -> message.get() + (skipped == 0 ? "" : " (" + skipped + " similar messages suppressed)"));
    }
}
