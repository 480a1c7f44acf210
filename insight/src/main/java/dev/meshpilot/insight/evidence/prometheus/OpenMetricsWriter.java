package dev.meshpilot.insight.evidence.prometheus;

import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes {@link IstioCounter}s as OpenMetrics text for {@code promtool tsdb create-blocks-from openmetrics}: one
 * sample per hour on the hour (timestamps in seconds) over whole UTC days, a {@code # TYPE} line per family, and the
 * closing {@code # EOF}. A day's calls are counted during its working hours, {@value #FIRST_HOUR}:00 to
 * {@value #LAST_HOUR}:00 UTC, so any one-day window ending outside them sees each day's calls whole.
 */
public final class OpenMetricsWriter {

    static final int FIRST_HOUR = 6;
    static final int LAST_HOUR = 18;
    private static final Duration STEP = Duration.ofHours(1);

    private OpenMetricsWriter() {
    }

    /** Writes every counter with samples from {@code firstDay} 00:00 to the midnight ending {@code lastDay}, UTC. */
    public static void write(Writer out, List<IstioCounter> counters, LocalDate firstDay, LocalDate lastDay)
            throws IOException {
        if (lastDay.isBefore(firstDay)) {
            throw new IllegalArgumentException("lastDay " + lastDay + " is before firstDay " + firstDay);
        }
        Map<String, List<IstioCounter>> families = counters.stream().collect(
                Collectors.groupingBy(IstioCounter::family, LinkedHashMap::new, Collectors.toList()));
        Instant start = firstDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = lastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        for (Map.Entry<String, List<IstioCounter>> family : families.entrySet()) {
            out.write("# TYPE " + family.getKey() + " counter\n");
            for (IstioCounter counter : family.getValue()) {
                String series = counter.metric() + labels(counter.labels());
                for (Instant t = start; !t.isAfter(end); t = t.plus(STEP)) {
                    out.write(series + " " + valueAt(counter, t) + " " + t.getEpochSecond() + "\n");
                }
            }
        }
        out.write("# EOF\n");
    }

    /** The counter's value at {@code at}: all calls of earlier days, plus today's share of its working hours. */
    static long valueAt(IstioCounter counter, Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        long total = 0;
        for (Map.Entry<LocalDate, Long> calls : counter.callsPerDay().entrySet()) {
            if (calls.getKey().isBefore(day)) {
                total += calls.getValue();
            } else if (calls.getKey().equals(day)) {
                long secondsIntoDay = at.getEpochSecond() - day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
                long worked = Math.min(Math.max(secondsIntoDay - FIRST_HOUR * 3600L, 0),
                        (LAST_HOUR - FIRST_HOUR) * 3600L);
                total += calls.getValue() * worked / ((LAST_HOUR - FIRST_HOUR) * 3600L);
            }
        }
        return total;
    }

    private static String labels(Map<String, String> labels) {
        List<String> parts = new ArrayList<>();
        labels.forEach((name, value) -> parts.add(name + "=\"" + escape(value) + "\""));
        return "{" + String.join(",", parts) + "}";
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
