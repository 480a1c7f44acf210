package dev.meshpilot.server.accesslog;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static dev.meshpilot.server.accesslog.AccessLogs.at;
import static dev.meshpilot.server.accesslog.AccessLogs.common;
import static org.assertj.core.api.Assertions.assertThat;

class EntryTimesTest {
    private static final Instant NOW = Instant.parse("2026-12-06T03:00:00Z");
    private final EntryTimes times = new EntryTimes(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void plausibleStartTime_isTheCallsTime() {
        Instant started = NOW.minusSeconds(30).plusNanos(5_000);
        assertThat(times.of(at(common("c"), started))).isEqualTo(started);
    }

    @Test
    void missingStartTime_isTheReceiveTime() {
        assertThat(times.of(common("c"))).isEqualTo(NOW);
    }

    @Test
    void startTimeOlderThanADayOrAheadOfTheServer_isReplacedByTheReceiveTime() {
        assertThat(times.of(at(common("c"), NOW.minus(Duration.ofDays(2))))).isEqualTo(NOW);
        assertThat(times.of(at(common("c"), NOW.plus(Duration.ofMinutes(5))))).isEqualTo(NOW);
        assertThat(times.of(common("c").toBuilder().setStartTime(
                com.google.protobuf.Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build())).isEqualTo(NOW);
    }
}
