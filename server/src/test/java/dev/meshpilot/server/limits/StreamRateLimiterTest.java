package dev.meshpilot.server.limits;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class StreamRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(42 * SECOND);

    @Test
    void aBurstOfOneSecondsWorth_startsAtOnce() {
        StreamRateLimiter limiter = new StreamRateLimiter(10, SECOND, now::get);
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.reserve()).hasValue(0);
        }
    }

    @Test
    void beyondTheBurst_streamsWaitInArrivalOrder_thenAreRefused() {
        StreamRateLimiter limiter = new StreamRateLimiter(10, SECOND, now::get);
        List<OptionalLong> turns = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            turns.add(limiter.reserve());
        }
        // 10 at once, then one every 100 ms up to the 1 s maximum wait, then refusals
        assertThat(turns.subList(0, 10)).allMatch(t -> t.isPresent() && t.getAsLong() == 0);
        for (int i = 10; i < 20; i++) {
            assertThat(turns.get(i)).hasValue((i - 9) * SECOND / 10);
        }
        assertThat(turns.subList(20, 25)).allMatch(OptionalLong::isEmpty);
    }

    @Test
    void aRefusedStream_takesNoTurn_andTokensReturnWithTime() {
        StreamRateLimiter limiter = new StreamRateLimiter(10, 0, now::get);
        for (int i = 0; i < 10; i++) {
            limiter.reserve();
        }
        assertThat(limiter.reserve()).isEmpty();
        assertThat(limiter.reserve()).isEmpty();
        now.addAndGet(SECOND / 10);
        assertThat(limiter.reserve()).hasValue(0);
        assertThat(limiter.reserve()).isEmpty();
        now.addAndGet(5 * SECOND);
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.reserve()).as("an idle bucket refills to one second's worth, no more").hasValue(0);
        }
        assertThat(limiter.reserve()).isEmpty();
    }
}
