package dev.meshpilot.server.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code meshpilot_xds_rejections_total{reason}}: what a limit refused. Every reason is registered at 0 up front. */
public final class Rejections {
    /** The limit that refused. */
    public enum Reason {
        CONNECTIONS, STREAMS, RATE, MESSAGE_SIZE, METADATA_SIZE, NAMES, SLOW_READER;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Reason, Counter> counters = new EnumMap<>(Reason.class);
    private final Timer admissionWait;

    public Rejections(MeterRegistry registry) {
        for (Reason r : Reason.values()) {
            counters.put(r, Counter.builder("meshpilot_xds_rejections")
                    .description("Connections, streams and requests refused by a resource limit.")
                    .tag("reason", r.label()).register(registry));
        }
        admissionWait = Timer.builder("meshpilot_xds_stream_admission_wait")
                .description("How long new ADS streams waited for their turn under the new-stream rate limit.")
                .register(registry);
    }

    /** Records how long an admitted stream waits for its turn. */
    public void admissionWait(long nanos) {
        admissionWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void count(Reason reason) {
        counters.get(reason).increment();
    }

    /** How many this reason refused so far. */
    public double total(Reason reason) {
        return counters.get(reason).count();
    }
}
