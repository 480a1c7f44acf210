package dev.meshpilot.server.accesslog;

import com.google.protobuf.Timestamp;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When an entry's call happened: its {@code start_time} when the proxy set one that is plausible (no more than a
 * day old and no more than a minute ahead of this server's clock), else the time it was received. A proxy's wrong
 * clock or a made-up timestamp cannot move a ledger's first or last sighting to another era.
 */
final class EntryTimes {
    static final Duration MAX_AGE = Duration.ofDays(1);
    static final Duration MAX_AHEAD = Duration.ofMinutes(1);

    private final Clock clock;

    EntryTimes(Clock clock) {
        this.clock = clock;
    }

    Instant of(AccessLogCommon common) {
        Instant now = clock.instant();
        if (!common.hasStartTime()) {
            return now;
        }
        Timestamp t = common.getStartTime();
        long seconds = t.getSeconds();
        if (seconds < now.minus(MAX_AGE).getEpochSecond() || seconds > now.plus(MAX_AHEAD).getEpochSecond()
                || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
            return now;
        }
        return Instant.ofEpochSecond(seconds, t.getNanos());
    }
}
