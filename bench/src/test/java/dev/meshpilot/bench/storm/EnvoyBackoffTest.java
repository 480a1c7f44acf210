package dev.meshpilot.bench.storm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EnvoyBackoffTest {

    @Test
    void ceilingDoublesFromTheBase_upToTheCap() {
        EnvoyBackoff backoff = EnvoyBackoff.ENVOY_DEFAULT;
        assertThat(backoff.ceilingMillis(0)).isEqualTo(500);
        assertThat(backoff.ceilingMillis(1)).isEqualTo(1_000);
        assertThat(backoff.ceilingMillis(5)).isEqualTo(16_000);
        assertThat(backoff.ceilingMillis(6)).isEqualTo(30_000);
        assertThat(backoff.ceilingMillis(1_000)).isEqualTo(30_000);
    }

    @Test
    void delaysAreFullJitter_belowTheCeiling_andSpread() {
        Random random = new Random(3);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2_000; i++) {
            long delay = EnvoyBackoff.ENVOY_DEFAULT.delayMillis(2, random);
            assertThat(delay).isBetween(0L, 1_999L);
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        assertThat(min).isLessThan(100);
        assertThat(max).isGreaterThan(1_900);
    }

    @Test
    void baseAboveCap_isRejected() {
        assertThatThrownBy(() -> new EnvoyBackoff(1_000, 500)).isInstanceOf(IllegalArgumentException.class);
    }
}
