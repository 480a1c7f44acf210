package dev.meshpilot.server.push;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DebouncerTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Debouncer.Batch<String>> released = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private Debouncer<String> debouncer(Duration quiet, Duration max) {
        return new Debouncer<>(quiet, max, timer, (a, b) -> a + "+" + b, released::add, System::nanoTime);
    }

    @Test
    void eventsWithinTheQuietPeriod_areMergedIntoOneBatch() {
        Debouncer<String> d = debouncer(Duration.ofMillis(200), Duration.ofSeconds(10));
        d.add("a");
        d.add("b");
        d.add("c");
        await().atMost(15, TimeUnit.SECONDS).until(() -> released.size() == 1);
        assertThat(released.get(0).merged()).isEqualTo("a+b+c");
        assertThat(released.get(0).events()).isEqualTo(3);
    }

    @Test
    void aSteadyStreamOfEvents_isReleasedAtTheMaximumDelay() throws InterruptedException {
        // Events every 10 ms never leave a 100 ms quiet period, so the maximum delay is what releases the batch
        // (on a starved machine a late sleep may release it earlier; either way it is not held back forever).
        Debouncer<String> d = debouncer(Duration.ofMillis(100), Duration.ofMillis(400));
        long start = System.nanoTime();
        while (released.isEmpty() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
            d.add("e");
            Thread.sleep(10);
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(released).isNotEmpty();
        assertThat(released.get(0).events()).isGreaterThan(1);
        assertThat(waited).isGreaterThanOrEqualTo(90L).isLessThan(20_000L);
    }

    @Test
    void eventsArrivingDuringProcessing_formTheNextBatch() {
        List<String> order = new CopyOnWriteArrayList<>();
        Debouncer<String>[] holder = new Debouncer[1];
        holder[0] = new Debouncer<>(Duration.ofMillis(50), Duration.ofSeconds(1), timer, (a, b) -> a + "+" + b,
                batch -> {
                    order.add("start " + batch.merged());
                    if (batch.merged().equals("first")) {
                        holder[0].add("second");
                        holder[0].add("third");
                        sleep(200);
                    }
                    order.add("end " + batch.merged());
                }, System::nanoTime);
        holder[0].add("first");
        await().atMost(15, TimeUnit.SECONDS).until(() -> order.size() == 4);
        assertThat(order).containsExactly("start first", "end first", "start second+third", "end second+third");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
