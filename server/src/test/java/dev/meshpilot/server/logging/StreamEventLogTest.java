package dev.meshpilot.server.logging;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class StreamEventLogTest {
    private static final int PER_PERIOD = 3;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("test.streamevents." + System.nanoTime());
    private final AtomicInteger attached = new AtomicInteger();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final StreamEventLog log = new StreamEventLog(logger, PER_PERIOD, attached::get, "10 s");

    StreamEventLogTest() {
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
    }

    @AfterEach
    void detach() {
        logger.removeHandler(capture);
    }

    private void connect(int from, int count) {
        for (int i = from; i < from + count; i++) {
            int n = i;
            log.connected(() -> "connected " + n);
        }
    }

    private void close(int from, int count) {
        for (int i = from; i < from + count; i++) {
            int n = i;
            log.closed(() -> "closed " + n);
        }
    }

    @Test
    void firstLinesOfAPeriodAreWritten_theRestOnlyCounted() {
        AtomicInteger built = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            int n = i;
            log.connected(() -> {
                built.incrementAndGet();
                return "connected " + n;
            });
        }
        assertThat(lines).containsExactly("connected 0", "connected 1", "connected 2");
        assertThat(built).as("lines beyond the budget are not even built").hasValue(PER_PERIOD);
    }

    @Test
    void summarize_writesOneLineWithTheSkippedCountsAndTheAttachedCount() {
        connect(0, 10); // 7 skipped
        close(0, 5);    // 2 skipped
        attached.set(1234);
        lines.clear();

        log.summarize();

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .contains("7 more streams connected")
                .contains("2 more closed")
                .contains("10 s")
                .contains("1,234 streams attached now");
    }

    @Test
    void summarize_startsANewBudget() {
        connect(0, 5);
        close(0, 5);
        log.summarize();
        lines.clear();

        connect(100, 5);
        close(100, 5);

        assertThat(lines).containsExactly("connected 100", "connected 101", "connected 102",
                "closed 100", "closed 101", "closed 102");
        lines.clear();
        log.summarize();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .contains("2 more streams connected").contains("2 more closed");
    }

    @Test
    void summarize_withNothingSkipped_writesNothing() {
        log.summarize();
        assertThat(lines).isEmpty();

        connect(0, PER_PERIOD);
        close(0, PER_PERIOD);
        lines.clear();
        log.summarize();
        assertThat(lines).isEmpty();

        // and the counts were reset by the summary that did write: a second one has nothing to say
        connect(0, PER_PERIOD + 1);
        log.summarize();
        lines.clear();
        log.summarize();
        assertThat(lines).isEmpty();
    }

    @Test
    void connectedAndClosedBudgetsAreSeparate() {
        connect(0, 10);
        close(0, 2);
        assertThat(lines).containsExactly("connected 0", "connected 1", "connected 2", "closed 0", "closed 1");

        close(2, 3);
        assertThat(lines).endsWith("closed 2");
        assertThat(lines).filteredOn(l -> l.startsWith("closed")).hasSize(PER_PERIOD);

        lines.clear();
        log.summarize();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .contains("7 more streams connected").contains("2 more closed");
    }
}
