package dev.meshpilot.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRank_overOneHundredSamples() {
        List<Long> nanos = new ArrayList<>();
        for (long i = 1; i <= 100; i++) {
            nanos.add(i * 1_000_000);
        }

        Percentiles p = Percentiles.ofNanos(nanos);

        assertThat(p.count()).isEqualTo(100);
        assertThat(p.p50Ms()).isEqualTo(50.0);
        assertThat(p.p90Ms()).isEqualTo(90.0);
        assertThat(p.p99Ms()).isEqualTo(99.0);
        assertThat(p.maxMs()).isEqualTo(100.0);
    }

    @Test
    void singleSample_isEveryPercentile() {
        Percentiles p = Percentiles.ofNanos(List.of(7_000_000L));

        assertThat(p.p50Ms()).isEqualTo(7.0);
        assertThat(p.p99Ms()).isEqualTo(7.0);
    }

    @Test
    void noSamples_areNotANumber() {
        assertThat(Percentiles.ofNanos(List.of()).p99Ms()).isNaN();
    }
}
