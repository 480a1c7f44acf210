package dev.meshpilot.cli.recommend;

import picocli.CommandLine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration as people write it: a positive whole number and one unit, {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})([dhms])");

    @Override
    public Duration convert(String value) {
        Matcher m = FORM.matcher(value.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is not a duration; write a positive number and a unit: 30d, 12h, 90m or 45s");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** The inverse, for messages: {@code 30d} for thirty days. */
    static String format(Duration d) {
        if (d.toSeconds() % 86_400 == 0) {
            return d.toDays() + "d";
        }
        if (d.toSeconds() % 3_600 == 0) {
            return d.toHours() + "h";
        }
        if (d.toSeconds() % 60 == 0) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() + "s";
    }
}
