package dev.meshpilot.kube.convert;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Istio durations as written in YAML: {@code 10s}, {@code 0.5s}, {@code 1m30s}, {@code 250ms}, {@code 1h}. */
final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");

    private Durations() {
    }

    static Duration parse(Field field) {
        String text = field.string();
        Matcher m = PART.matcher(text);
        int position = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (m.find() && m.start() == position) {
            BigDecimal amount = new BigDecimal(m.group(1));
            long unit = switch (m.group(2)) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                case "us", "µs" -> 1_000L;
                default -> 1L;
            };
            nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unit)));
            position = m.end();
        }
        if (position == 0 || position != text.length()) {
            throw field.error("\"" + text + "\" is not a duration such as 10s, 0.5s or 1m30s");
        }
        return Duration.ofNanos(nanos.longValue());
    }
}
