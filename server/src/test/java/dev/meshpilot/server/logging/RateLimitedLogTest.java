package dev.meshpilot.server.logging;

import dev.meshpilot.server.ManualClock;
import dev.meshpilot.server.accesslog.DropReason;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitedLogTest {
    private final List<String> lines = new ArrayList<>();
    private final Logger logger = Logger.getLogger("test.ratelimited." + System.nanoTime());
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-06T03:00:00Z"));
    private final RateLimitedLog log = new RateLimitedLog(logger, clock, Duration.ofMinutes(1));

    RateLimitedLogTest() {
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
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
        });
    }

    @AfterEach
    void reset() {
        lines.clear();
    }

    @Test
    void repeatsWithinAPeriod_areSuppressed_andTheNextLineSaysHowMany() {
        for (int i = 0; i < 1000; i++) {
            log.warn(DropReason.UNKNOWN_NODE, () -> "unknown node");
        }
        assertThat(lines).containsExactly("unknown node");

        clock.advance(Duration.ofMinutes(1));
        log.warn(DropReason.UNKNOWN_NODE, () -> "unknown node");
        assertThat(lines).containsExactly("unknown node", "unknown node (999 similar messages suppressed)");
    }

    @Test
    void reasonsAreLimitedSeparately() {
        log.warn(DropReason.UNKNOWN_NODE, () -> "node");
        log.warn(DropReason.BUFFER_FULL, () -> "full");
        assertThat(lines).containsExactly("node", "full");
    }

    @Test
    void clientTextInALine_isTruncatedAndStrippedOfControlCharacters() {
        String client = "sidecar~\n\u001b[31mred~" + "x".repeat(10_000);
        String safe = LogText.safe(client);
        assertThat(safe).doesNotContain("\n").doesNotContain("\u001b").contains("(" + client.length() + " chars)");
        assertThat(safe.length()).isLessThan(LogText.MAX + 30);
    }
}
