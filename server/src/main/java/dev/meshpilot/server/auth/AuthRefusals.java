package dev.meshpilot.server.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * Refused xDS calls: {@code meshpilot_xds_auth_rejections_total{reason}} and the most recent ones, kept in a
 * bounded ring for {@code /debug/authz}. Client-supplied text is stored escaped and truncated
 * ({@link #clientText}), so the debug view and logs show it as data.
 */
public final class AuthRefusals {
    /** Refusals kept for {@code /debug/authz}. */
    public static final int CAPACITY = 100;
    private static final int MAX_CLIENT_TEXT = 256;

    /** One refusal as {@code /debug/authz} shows it. */
    public record Refusal(Instant at, String reason, String peer, String claimedNode, String caller, String message) {
        public Refusal {
            Objects.requireNonNull(at, "at");
        }
    }

    private final MeterRegistry registry;
    private final Clock clock;
    private final ArrayDeque<Refusal> recent = new ArrayDeque<>();
    private long total;

    public AuthRefusals(MeterRegistry registry, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (RefusalReason r : RefusalReason.values()) {
            counter(r); // every reason shows 0 from the start, so alerts can rate() it
        }
    }

    /**
     * Counts and keeps one refusal.
     *
     * @param claimedNode the node id the client sent, if any (client text: escaped here)
     * @param caller      the authenticated caller ({@code NS/SA}), empty when authentication failed
     */
    public void record(RefusalReason reason, String peer, String claimedNode, String caller, String message) {
        counter(reason).increment();
        Refusal r = new Refusal(clock.instant(), reason.label(), clientText(peer), clientText(claimedNode),
                clientText(caller), clientText(message));
        synchronized (recent) {
            if (recent.size() == CAPACITY) {
                recent.removeFirst();
            }
            recent.addLast(r);
            total++;
        }
    }

    /** The kept refusals, oldest first. */
    public List<Refusal> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** Every refusal since start, including those no longer kept. */
    public long total() {
        synchronized (recent) {
            return total;
        }
    }

    private Counter counter(RefusalReason reason) {
        return Counter.builder("meshpilot_xds_auth_rejections").tag("reason", reason.label())
                .description("xDS calls refused on the authenticated port, by reason.").register(registry);
    }

    /**
     * Client-supplied text made safe to show: control characters, quotes and backslashes escaped (so it cannot
     * forge a log line), cut to 256 characters with the original length said.
     */
    public static String clientText(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int limit = Math.min(text.length(), MAX_CLIENT_TEXT);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c == '\\' || c == '"') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > limit) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
